"""The hourly feedback reminder scan: raters who have not submitted, before the due date.

An open request's live invitations (invited or started, link not expired)
get one reminder once the due date is at most
``STEPWISE_FEEDBACK_REMINDER_DAYS_BEFORE`` days away. Each invitation is
claimed first with one conditional ``UPDATE … WHERE reminded_at IS NULL``
in the same transaction as its mail, so two workers scanning at once send
one reminder. Only the hash of a link is kept, so the reminder carries a new
link (the invitation's secret is renewed; the first mail's link dies).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from app.accounts.credentials import hash_secret, new_secret
from app.accounts.service import users_by_ids
from app.assessments import service as assessments
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.feedback import repository
from app.feedback.models import FeedbackInvitation
from app.feedback.notifications import mail_reminder
from app.jobs.registry import task

logger = logging.getLogger("stepwise.feedback")

REMINDER_TASK = "feedback.send_reminders"


@task(REMINDER_TASK, cron="17 * * * *", max_attempts=3)
def send_feedback_reminders(*, session: Session) -> None:
    now = utcnow()
    settings = get_settings()
    due = repository.invitations_due_for_reminder(
        session, today=now.date(), days_before=settings.feedback_reminder_days_before, now=now
    )
    if not due:
        return
    participants = {
        request.assessment_id: assessments.find_assessment(
            session=session, assessment_id=request.assessment_id
        ).assessment.participant_id
        for _, request in due
    }
    people = users_by_ids(session=session, ids=set(participants.values()))
    sent = 0
    for invitation, request in due:
        participant = people.get(participants[request.assessment_id])
        if participant is None:
            continue
        secret = new_secret()
        claimed = session.exec(
            update(FeedbackInvitation)
            .where(
                col(FeedbackInvitation.id) == invitation.id,
                col(FeedbackInvitation.reminded_at).is_(None),
            )
            .values(
                reminded_at=now,
                token_hash=hash_secret(secret),
                expires_at=max(
                    invitation.expires_at, now + timedelta(days=settings.feedback_link_days)
                ),
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue  # another worker's scan got there first
        session.refresh(invitation)
        mail_reminder(
            session=session,
            invitation=invitation,
            request=request,
            participant=participant,
            secret=secret,
            today=now.date(),
        )
        sent += 1
    logger.info("feedback reminders queued: %s", sent)
