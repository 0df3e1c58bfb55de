"""The coaching mail: a coach told of a submission, a participant of a finalized review,
and plan-action reminders.

The first two are domain-event subscribers (:mod:`app.core.events`): they run
in the publishing transaction and only *queue* mail (``queue_mail`` stores
the message and enqueues its ``mail.send`` job), so a request that rolls
back sends nothing. Coaching sits above assessments and accounts in the layer
order, so it may read both; they know nothing of it.

Every message is written in its recipient's language (``User.locale``, read
when it is queued: a reminder job reads it when it runs) and checks the
recipient's preference first
(:func:`app.accounts.preferences.wants_notification`) and carries a footer
link to the preferences page. Each has one link, absolute (``public_url``),
to the page where the recipient acts on it; that page does its own access
check, so a forwarded mail opens nothing for anyone else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.accounts.preferences import PAGE_PATH, NotificationKind, wants_notification
from app.accounts.service import coaches_of, users_by_ids
from app.assessments import service as assessments
from app.assessments.localized import shown_name
from app.coaching.models import PlanAction
from app.coaching.reminder_models import ReminderKind
from app.core import events
from app.core.config import get_settings
from app.core.i18n import N_
from app.mail.compose import subject_text
from app.mail.outbox import queue_mail

#: A subject: the English source string (translated in the recipient's language
#: by ``queue_mail``) and the values of its placeholders.
Subject = tuple[str, dict[str, str]]


def submitted_subject(participant: User) -> Subject:
    return N_("%(participant)s submitted an assessment"), {
        "participant": subject_text(participant.display_name)
    }


def finalized_subject(coach: User | None) -> Subject:
    if coach is None:
        return N_("Your coach finalized the review of your assessment"), {}
    return N_("%(coach)s finalized the review of your assessment"), {
        "coach": subject_text(coach.display_name)
    }


def reminder_subject(action: PlanAction, kind: ReminderKind) -> Subject:
    if kind is ReminderKind.overdue:
        return N_("Overdue: %(title)s"), {"title": subject_text(action.title)}
    return N_("Coming up: %(title)s"), {"title": subject_text(action.title)}


def _notify(
    *,
    session: Session,
    to: User,
    kind: NotificationKind,
    template: str,
    subject: Subject,
    path: str,
    context: dict[str, Any],
) -> bool:
    """Queue one message unless ``to`` turned ``kind`` off; True when queued."""
    if not wants_notification(session=session, user=to, kind=kind):
        return False
    base = get_settings().public_url
    queue_mail(
        session=session,
        to=to.email,
        kind=template,
        subject=subject[0],
        subject_args=subject[1],
        locale=to.locale,
        context={
            **context,
            "name": to.display_name,
            "link": base + path,
            "preferences_link": base + PAGE_PATH,
        },
    )
    return True


def coach_participant_path(participant_id: int) -> str:
    return f"/coaching/participants/{participant_id}"


def results_path(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}/results"


@events.subscribe(events.ASSESSMENT_SUBMITTED)
def tell_coaches_of_submission(*, session: Session, event: events.Event) -> None:
    """Each assigned coach learns that their participant submitted, with a link to them."""
    participant_id = int(event.data["participant_id"])
    coaches = coaches_of(session=session, participant_id=participant_id)
    if not coaches:
        return
    participant = users_by_ids(session=session, ids=[participant_id])[participant_id]
    summary = assessments.find_assessment(
        session=session, assessment_id=int(event.data["assessment_id"])
    )
    for coach in coaches:
        _notify(
            session=session,
            to=coach,
            kind=NotificationKind.assessment_submitted,
            template="assessment_submitted",
            subject=submitted_subject(participant),
            path=coach_participant_path(participant_id),
            context={
                "participant": participant.display_name,
                "assessment": shown_name(session=session, summary=summary, locale=coach.locale),
            },
        )


@events.subscribe(events.REVIEW_FINALIZED)
def tell_participant_of_final_review(*, session: Session, event: events.Event) -> None:
    """The participant learns that the review is final, with a link to their results."""
    participant_id = int(event.data["participant_id"])
    coach_id = event.data.get("coach_id")
    found = users_by_ids(
        session=session, ids=[participant_id, *([int(coach_id)] if coach_id else [])]
    )
    coach = found.get(int(coach_id)) if coach_id else None
    assessment_id = int(event.data["assessment_id"])
    summary = assessments.find_assessment(session=session, assessment_id=assessment_id)
    _notify(
        session=session,
        to=found[participant_id],
        kind=NotificationKind.review_finalized,
        template="review_finalized",
        subject=finalized_subject(coach),
        path=results_path(assessment_id),
        context={
            "coach": coach.display_name if coach is not None else None,
            "assessment": shown_name(
                session=session, summary=summary, locale=found[participant_id].locale
            ),
        },
    )


def remind_of_action(
    *, session: Session, participant: User, action: PlanAction, kind: ReminderKind, today: date
) -> bool:
    """Queue one plan-action reminder (the caller has recorded it); False when turned off."""
    assert action.due_date is not None
    return _notify(
        session=session,
        to=participant,
        kind=NotificationKind.plan_reminder,
        template=f"plan_reminder_{kind.value}",
        subject=reminder_subject(action, kind),
        path=results_path(action.assessment_id) + "#your-plan",
        context={
            "title": action.title,
            "due": action.due_date,
            "days": (action.due_date - today).days,
        },
    )
