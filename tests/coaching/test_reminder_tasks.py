"""Plan-action reminders: N days before the due date and once overdue, each sent once.

The periodic task runs here in the test's session (the runner would give it
a unit of work of its own); the queued messages then go through the real
``mail.send`` task to the aiosmtpd server.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.accounts.preferences import PAGE_PATH
from app.coaching import repository
from app.coaching.reminder_models import PlanActionReminder, ReminderKind
from app.coaching.reminder_tasks import send_plan_reminders
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.rubrics.schemas import Rubric
from tests.coaching.conftest import Browser, CoachingPair, finalize, start_rated_review
from tests.fixtures.factories import UserFactory
from tests.fixtures.notifications import (
    assert_opens_only_for,
    deliver,
    links_of,
    queued_for,
    text_of,
)
from tests.fixtures.smtp import SmtpServer

SOON = "plan_reminder_due_soon"
OVERDUE = "plan_reminder_overdue"


def _plan(
    pair: CoachingPair, rubric: Rubric, actions: list[dict[str, object]], *, final: bool
) -> tuple[int, list[int]]:
    """The participant submits; the coach's session on it has ``actions`` (finalized
    when ``final``): (review id, action ids)."""
    api = pair.coach_api()
    review_id, _ = start_rated_review(api, pair.submit(), rubric)
    ids = [
        api.ok("POST", f"/reviews/{review_id}/plan-actions", 201, json=body)["id"]
        for body in actions
    ]
    if final:
        finalize(api, review_id)
    return review_id, ids


def reminders_for(session: Session, address: str) -> list[str]:
    """The subjects of the reminders queued for ``address``, oldest first."""
    return [m.subject for m in queued_for(session, address) if m.kind in (SOON, OVERDUE)]


def _in_days(days: int) -> str:
    return (utcnow().date() + timedelta(days=days)).isoformat()


@pytest.fixture
def plan(pair: CoachingPair, mini: Rubric) -> dict[str, int]:
    """The participant's actions: due in 2 days, overdue, far off, done, undated."""
    _, ids = _plan(
        pair,
        mini,
        [
            {"title": "Soon", "due_date": _in_days(2)},
            {"title": "Late", "due_date": _in_days(-1), "status": "in_progress"},
            {"title": "Far", "due_date": _in_days(30)},
            {"title": "Done", "due_date": _in_days(1), "status": "done"},
            {"title": "Undated"},
        ],
        final=True,
    )
    return dict(zip(("soon", "late", "far", "done", "undated"), ids, strict=True))


def test_due_soon_and_overdue_reminders_arrive_and_link_to_the_plan(
    session: Session,
    smtp_settings: SmtpServer,
    browser_for: Callable[[User], Browser],
    make_user: UserFactory,
    participant: User,
    plan: dict[str, int],
) -> None:
    send_plan_reminders(session=session)

    (soon,) = queued_for(session, participant.email, SOON)
    (late,) = queued_for(session, participant.email, OVERDUE)
    assert len(reminders_for(session, participant.email)) == 2  # none: far, done, undated
    other = make_user(Role.participant)
    for message, subject, words in (
        (soon, "Coming up: Soon", "is due in 2 days"),
        (late, "Overdue: Late", "is still open"),
    ):
        received = deliver(session, smtp_settings, message)
        assert (received["To"], received["Subject"]) == (participant.email, subject)
        assert words in text_of(received)
        path, footer = links_of(received)
        assert path.endswith("/results#your-plan") and footer == PAGE_PATH
        assert_opens_only_for(browser_for, path, participant, other)


def test_each_reminder_is_sent_once_and_a_new_due_date_earns_new_ones(
    session: Session, pair: CoachingPair, plan: dict[str, int]
) -> None:
    send_plan_reminders(session=session)
    send_plan_reminders(session=session)
    assert len(reminders_for(session, pair.participant.email)) == 2
    assert not repository.record_reminder(
        session,
        action_id=plan["soon"],
        kind=ReminderKind.due_soon,
        due=utcnow().date() + timedelta(days=2),
    )

    # The coach moves "Soon" out by a day: a new due date, a new reminder.
    action = pair.coach_api().ok("GET", f"/participants/{pair.participant.id}/plan")["actions"][0]
    pair.coach_api().ok(
        "PATCH",
        f"/plan-actions/{plan['soon']}",
        json={"version": action["version"], "due_date": _in_days(3)},
    )
    send_plan_reminders(session=session)
    assert [m.subject for m in queued_for(session, pair.participant.email, SOON)] == [
        "Coming up: Soon",
        "Coming up: Soon",
    ]
    kinds = sorted(
        (row.action_id, row.kind) for row in session.exec(select(PlanActionReminder)).all()
    )
    assert kinds == sorted(
        [(plan["soon"], "due_soon"), (plan["soon"], "due_soon"), (plan["late"], "overdue")]
    )


def test_a_soon_reminder_is_followed_by_the_overdue_one(
    session: Session, participant: User, plan: dict[str, int]
) -> None:
    send_plan_reminders(session=session)
    later = utcnow().date() + timedelta(days=3)  # "Soon" (due in 2 days) is now overdue
    due = repository.actions_due_for_reminder(
        session, today=later, days_before=get_settings().reminder_days_before
    )
    assert [(a.id, kind) for a, kind in due] == [(plan["soon"], ReminderKind.overdue)]


def test_no_reminders_for_draft_sessions_or_when_turned_off(
    session: Session, pair: CoachingPair, mini: Rubric
) -> None:
    _plan(pair, mini, [{"title": "Not agreed yet", "due_date": _in_days(1)}], final=False)
    send_plan_reminders(session=session)
    assert reminders_for(session, pair.participant.email) == []

    _plan(pair, mini, [{"title": "Agreed", "due_date": _in_days(1)}], final=True)
    pair.participant_api().ok(
        "PUT", "/api/v1/me/notification-preferences", json={"plan_reminder": False}
    )
    send_plan_reminders(session=session)
    assert queued_for(session, pair.participant.email, SOON) == []
    assert session.exec(select(PlanActionReminder)).all() == []  # not recorded: not sent

    pair.participant_api().ok(
        "PUT", "/api/v1/me/notification-preferences", json={"plan_reminder": True}
    )
    send_plan_reminders(session=session)
    assert [m.subject for m in queued_for(session, pair.participant.email, SOON)] == [
        "Coming up: Agreed"
    ]
