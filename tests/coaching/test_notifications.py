"""Coach told on submit, participant told on finalize: real SMTP, real links, preferences.

The subscribers queue the mail in the request's transaction; the test then
runs the real ``mail.send`` task against the aiosmtpd server and follows the
message's link as the recipient (200) and as someone else (404).
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import preferences
from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.accounts.preferences import PAGE_PATH, NotificationKind
from app.coaching.notifications import finalized_subject, submitted_subject
from app.mail.compose import SUBJECT_TEXT_LIMIT
from app.rubrics.schemas import Rubric
from tests.coaching.conftest import Api, CoachingPair, start_rated_review
from tests.fixtures.factories import UserFactory
from tests.fixtures.notifications import (
    assert_opens_only_for,
    deliver,
    links_of,
    queued_for,
    text_of,
)
from tests.fixtures.smtp import SmtpServer


def _submit(api: Api) -> int:
    """The participant answers ``mini`` completely and submits it over the API."""
    created = api.ok("POST", "/assessments", 201, json={"rubric_id": "mini"})
    answers = {"pl-1": 4, "pl-2a": 4, "pl-2b": 4, "pl-3": 0, "rv-1": 4, "rv-3a": 0, "rv-3b": 0}
    saved = api.patch(created["id"], created["version"], answers)
    assert saved.status_code == 200, saved.text
    response = api.submit(created["id"], saved.json()["version"])
    assert response.status_code == 200, response.text
    return int(created["id"])


def test_each_assigned_coach_is_told_of_a_submission(
    session: Session, smtp_settings: SmtpServer, make_user: UserFactory, pair: CoachingPair
) -> None:
    second = make_user(Role.coach)
    accounts.assign_coach(session=session, coach=second, participant=pair.participant)
    stranger = make_user(Role.coach)
    session.commit()

    _submit(pair.participant_api())

    assert queued_for(session, stranger.email) == []
    for who in (pair.coach, second):
        (message,) = queued_for(session, who.email, "assessment_submitted")
        received = deliver(session, smtp_settings, message)
        assert received["To"] == who.email
        assert received["Subject"] == f"{pair.participant.display_name} submitted an assessment"
        assert f"Hello {who.display_name}," in text_of(received)
        path, footer = links_of(received)
        assert path == f"/coaching/participants/{pair.participant.id}"
        assert footer == PAGE_PATH
        assert_opens_only_for(pair.browser_for, path, who, stranger)


def test_the_participant_is_told_when_the_review_is_final(
    session: Session,
    smtp_settings: SmtpServer,
    make_user: UserFactory,
    pair: CoachingPair,
    mini: Rubric,
) -> None:
    other = make_user(Role.participant)
    aid = pair.submit()
    rid, version = start_rated_review(pair.coach_api(), aid, mini)
    assert queued_for(session, pair.participant.email) == []  # a draft tells nobody

    pair.coach_api().ok("POST", f"/reviews/{rid}/finalize", json={"version": version})

    (message,) = queued_for(session, pair.participant.email, "review_finalized")
    received = deliver(session, smtp_settings, message)
    assert received["To"] == pair.participant.email
    assert (
        received["Subject"] == f"{pair.coach.display_name} finalized the review of your assessment"
    )
    path, footer = links_of(received)
    assert (path, footer) == (f"/assessments/{aid}/results", PAGE_PATH)
    assert_opens_only_for(pair.browser_for, path, pair.participant, other)
    assert pair.participant_browser().get(footer).status_code == 200


def test_a_finalize_that_fails_sends_nothing(session: Session, pair: CoachingPair) -> None:
    api = pair.coach_api()
    review = api.start(pair.submit())
    api.ok("PATCH", f"/reviews/{review['id']}", json={"version": 1,
           "ratings": {"planning": {"coach_level": 2}}})  # fmt: skip
    response = api.call("POST", f"/reviews/{review['id']}/finalize", json={"version": 2})
    assert response.status_code == 422  # "review" is not rated: the request rolls back
    assert queued_for(session, pair.participant.email) == []


def test_a_kind_turned_off_sends_nothing(
    session: Session, make_user: UserFactory, pair: CoachingPair, mini: Rubric
) -> None:
    second = make_user(Role.coach)
    accounts.assign_coach(session=session, coach=second, participant=pair.participant)
    session.commit()
    pair.coach_api().ok(
        "PUT", "/api/v1/me/notification-preferences", json={"assessment_submitted": False}
    )
    pair.participant_api().ok(
        "PUT", "/api/v1/me/notification-preferences", json={"review_finalized": False}
    )

    aid = _submit(pair.participant_api())
    assert queued_for(session, pair.coach.email) == []
    assert len(queued_for(session, second.email, "assessment_submitted")) == 1  # still on

    rid, version = start_rated_review(pair.coach_api(), aid, mini)
    pair.coach_api().ok("POST", f"/reviews/{rid}/finalize", json={"version": version})
    assert queued_for(session, pair.participant.email) == []


def test_a_deactivated_or_role_less_person_is_not_mailed(
    session: Session, make_user: UserFactory, participant: User
) -> None:
    admin = make_user(Role.admin)
    assert not preferences.wants_notification(
        session=session, user=admin, kind=NotificationKind.review_finalized
    )
    participant.is_active = False
    assert not preferences.wants_notification(
        session=session, user=participant, kind=NotificationKind.review_finalized
    )


def test_subjects_keep_a_long_name_to_one_short_line(make_user: UserFactory) -> None:
    person = make_user(Role.participant)
    person.display_name = "A\nvery " + "long " * 40 + "name"
    template, args = submitted_subject(person)
    subject = template % args
    assert "\n" not in subject and subject.startswith("A very long")
    assert len(subject) <= SUBJECT_TEXT_LIMIT + len(" submitted an assessment")
    assert finalized_subject(None) == ("Your coach finalized the review of your assessment", {})


def test_a_german_coach_reads_the_rubric_title_in_german(
    session: Session, pair: CoachingPair
) -> None:
    pair.coach.locale = "de"
    session.add(pair.coach)
    session.commit()

    _submit(pair.participant_api())

    (message,) = queued_for(session, pair.coach.email, "assessment_submitted")
    assert message.text_body is not None
    assert "(„Mini-Rahmenwerk“)" in message.text_body
