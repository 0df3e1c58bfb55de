"""Operations: the admin pages of the domains below accounts (jobs, mail, rubrics).

The jobs, mail and rubrics domains sit below accounts (accounts queues mail
through them; every domain reads rubrics), so their pages, which need to know
who is signed in and whether they are an admin, live one layer up, here.
"""
