"""The hourly plan-action reminder scan.

For each open action (planned or in progress) of a finalized session whose
due date is at most ``STEPWISE_REMINDER_DAYS_BEFORE`` days away, one
"coming up" reminder; once the due date has passed, one "overdue" reminder.
Each is recorded in ``plan_action_reminders`` *before* its mail is queued,
in the same transaction, under a unique key: when two workers run the scan
at once (a retried job beside a periodic one, or two deployments), the
second's insert does nothing and it sends nothing. A participant who turned
reminders off gets none, and none is recorded, so turning them back on
brings the reminders still due.

Hourly rather than daily so that a worker down at one tick only delays the
reminders by an hour; dates are UTC days.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from app.accounts.preferences import NotificationKind, wants_notification
from app.accounts.service import users_by_ids
from app.coaching import repository
from app.coaching.notifications import remind_of_action
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.jobs.registry import task

logger = logging.getLogger("stepwise.coaching")

REMINDER_TASK = "coaching.send_plan_reminders"


@task(REMINDER_TASK, cron="7 * * * *", max_attempts=3)
def send_plan_reminders(*, session: Session) -> None:
    today = utcnow().date()
    due = repository.actions_due_for_reminder(
        session, today=today, days_before=get_settings().reminder_days_before
    )
    if not due:
        return
    people = users_by_ids(session=session, ids={action.participant_id for action, _ in due})
    sent = 0
    for action, kind in due:
        participant = people.get(action.participant_id)
        assert action.id is not None and action.due_date is not None
        if participant is None or not wants_notification(
            session=session, user=participant, kind=NotificationKind.plan_reminder
        ):
            continue
        if not repository.record_reminder(
            session, action_id=action.id, kind=kind, due=action.due_date
        ):
            continue  # another worker's scan got there first
        if remind_of_action(
            session=session, participant=participant, action=action, kind=kind, today=today
        ):
            sent += 1
    logger.info("plan reminders queued: %s", sent)
