"""Operations: the admin pages that watch the infrastructure domains (jobs, mail).

The jobs and mail domains sit below accounts (accounts queues mail through
them), so their pages, which need to know who is signed in and whether they
are an admin, live one layer up, here.
"""
