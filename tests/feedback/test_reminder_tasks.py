"""Feedback reminders: raters who have not submitted, N days before the due date, once each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.core.config import get_settings
from app.core.i18n import format_date_in
from app.feedback import rater, service
from app.feedback.rater import AnswersIn
from app.feedback.reminder_tasks import send_feedback_reminders
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.feedback import due_in, link_secret, open_request
from tests.fixtures.notifications import queued_for

RATERS = {
    "waiting@example.test": "peers",
    "started@example.test": "peers",
    "done@example.test": "manager",
    "gone@example.test": "stakeholders",
}


def test_one_reminder_per_waiting_rater_before_the_due_date(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    days = get_settings().feedback_reminder_days_before
    owner = make_user()
    later_owner = make_user()
    state, secrets = open_request(
        session, user=owner, assessment_id=submitted(owner), raters=RATERS, due=due_in(days)
    )
    open_request(
        session,
        user=later_owner,
        assessment_id=submitted(later_owner),
        raters={"later@example.test": "peers"},
        due=due_in(days + 1),
    )
    rater.save_rater_answers(
        session=session,
        secret=secrets["started@example.test"],
        expected_version=1,
        answers=AnswersIn(choices={"planning": "0"}),
    )
    rater.submit_rater_answers(
        session=session,
        secret=secrets["done@example.test"],
        expected_version=1,
        answers=AnswersIn(choices={"planning": "0", "review": "0"}),
    )
    gone = next(i for i in state.invitations if i.email == "gone@example.test")
    service.cancel_invitation(
        session=session, user=owner, invitation_id=gone.id or 0, expected_version=1
    )

    send_feedback_reminders(session=session)
    send_feedback_reminders(session=session)  # a second scan sends nothing more

    for email in RATERS | {"later@example.test": "peers"}:
        kinds = [m.kind for m in queued_for(session, email)]
        expected = ["feedback_invitation"]
        if email in ("waiting@example.test", "started@example.test"):
            expected.append("feedback_reminder")
        assert kinds == expected, email
    reminder = queued_for(session, "started@example.test")[-1]
    assert owner.display_name in reminder.subject
    assert f"({format_date_in('en', due_in(days), 'long')})" in (reminder.text_body or "")
    # The reminder carries a new link; the first one no longer opens the form.
    renewed = link_secret(session, "started@example.test")
    assert renewed != secrets["started@example.test"]
    form = rater.open_rater_form(session=session, secret=renewed)
    assert form.choice("planning") == "0" and form.invitation.reminded_at is not None
    with pytest.raises(Exception, match="not valid"):
        rater.open_rater_form(session=session, secret=secrets["started@example.test"])


def test_no_reminder_once_the_request_is_closed_or_past_due(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    state, _ = open_request(
        session,
        user=owner,
        assessment_id=submitted(owner),
        raters={"r@example.test": "peers"},
        due=due_in(0),
    )
    service.close_request(session=session, user=owner, request_id=state.id, expected_version=1)
    send_feedback_reminders(session=session)
    assert [m.kind for m in queued_for(session, "r@example.test")] == ["feedback_invitation"]
    state.request.status = "open"
    state.request.due_date = due_in(0) - timedelta(days=1)
    session.add(state.request)
    session.flush()
    send_feedback_reminders(session=session)
    assert [m.kind for m in queued_for(session, "r@example.test")] == ["feedback_invitation"]
