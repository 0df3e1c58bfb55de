"""Every background task, imported in one place so both runners know them all.

Like :mod:`app.models` for tables: a worker (or the server's in-process
runner) imports this module, and each import below registers its tasks in
:data:`app.jobs.registry.TASKS`.
"""

from app.accounts import reset_tasks
from app.coaching import notifications as coaching_notifications
from app.coaching import reminder_tasks
from app.jobs import housekeeping
from app.mail import tasks as mail_tasks

__all__ = [
    "coaching_notifications",
    "housekeeping",
    "mail_tasks",
    "reminder_tasks",
    "reset_tasks",
]
