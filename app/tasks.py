"""Every background task, event subscriber and metrics collector, imported in one place.

Like :mod:`app.models` for tables: a worker (or the server's in-process
runner) imports this module, and each import below registers its tasks in
:data:`app.jobs.registry.TASKS`.
"""

from app.accounts import reset_tasks
from app.coaching import notifications as coaching_notifications
from app.coaching import reminder_tasks
from app.feedback import reminder_tasks as feedback_reminders
from app.jobs import housekeeping
from app.jobs import metrics as job_metrics
from app.mail import tasks as mail_tasks
from app.privacy import retention as privacy_retention
from app.programmes import tasks as programme_tasks
from app.reports import prerender
from app.webhooks import tasks as webhook_tasks

__all__ = [
    "coaching_notifications",
    "feedback_reminders",
    "housekeeping",
    "job_metrics",
    "mail_tasks",
    "prerender",
    "privacy_retention",
    "programme_tasks",
    "reminder_tasks",
    "reset_tasks",
    "webhook_tasks",
]
