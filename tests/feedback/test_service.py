"""Requests and invitations: who may run them, what they mail, versions, limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role
from app.core.exceptions import InvalidInput, NotFound
from app.core.versioning import VersionConflict
from app.feedback import rater, service
from app.feedback.models import InvitationStatus
from app.feedback.rater import AnswersIn, LinkGone
from app.feedback.repository import load_rater_responses
from app.feedback.request_input import RaterIn
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.feedback import due_in, link_secret, open_request
from tests.fixtures.notifications import queued_for

RATERS = {"a@example.test": "peers", "b@example.test": "peers", "m@example.test": "manager"}


def test_participant_coach_and_admin_may_run_a_request_nobody_else(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner, coach, admin, other = (
        make_user(),
        make_user(Role.coach),
        make_user(Role.admin),
        make_user(Role.coach),
    )
    accounts.assign_coach(session=session, coach=coach, participant=owner)
    assessment_id = submitted(owner)
    with pytest.raises(NotFound):
        open_request(session, user=other, assessment_id=assessment_id, raters=RATERS)
    state, secrets = open_request(session, user=coach, assessment_id=assessment_id, raters=RATERS)
    assert [(i.email, i.group, i.status) for i in state.invitations] == [
        (email, group, "invited") for email, group in RATERS.items()
    ]
    assert len(set(secrets.values())) == 3 and all(len(s) >= 43 for s in secrets.values())
    for invitation in state.invitations:  # only the hash is stored
        assert invitation.token_hash not in secrets.values()
    for user in (owner, coach, admin):
        assert service.get_request_for(session=session, user=user, request_id=state.id).id
    with pytest.raises(NotFound):
        service.get_request_for(session=session, user=other, request_id=state.id)
    # One request per assessment: more raters go into the same one.
    with pytest.raises(Exception, match="already has"):
        open_request(session, user=owner, assessment_id=assessment_id, raters={"z@x.test": "peers"})


def test_bad_raters_are_located_and_not_echoed(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    assessment_id = submitted(owner)
    with pytest.raises(InvalidInput) as caught:
        service.start_request(
            session=session,
            user=owner,
            assessment_id=assessment_id,
            due_date=due_in(),
            message=None,
            raters=[
                RaterIn(email="not-an-address", group="peers"),
                RaterIn(email=owner.email.upper(), group="peers"),
                RaterIn(email="x@example.test", group="friends"),
                RaterIn(email="X@example.test ", group="peers"),
                RaterIn(email="y@example.test", group="peers", message="m" * 1001),
            ],
        )
    locs = [e["loc"] for e in caught.value.errors or []]
    assert locs == [
        ["body", "raters", 0, "email"],
        ["body", "raters", 1, "email"],
        ["body", "raters", 2, "group"],
        ["body", "raters", 3, "email"],
        ["body", "raters", 4, "message"],
    ]
    assert "not-an-address" not in str(caught.value.errors)
    for due in (date.today() - timedelta(days=1), date.today() + timedelta(days=181)):
        with pytest.raises(InvalidInput, match="due date"):
            service.start_request(
                session=session,
                user=owner,
                assessment_id=assessment_id,
                due_date=due,
                message=None,
                raters=[RaterIn(email="ok@example.test", group="peers")],
            )


def test_resend_cancel_close(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    state, secrets = open_request(
        session, user=owner, assessment_id=submitted(owner), raters=RATERS, message="Thanks!"
    )
    first = state.invitations[0]
    assert "Thanks!" in (queued_for(session, first.email)[0].text_body or "")

    resent = service.resend_invitation(
        session=session, user=owner, invitation_id=first.id or 0, expected_version=1
    )
    assert resent.version == 2 and len(queued_for(session, first.email)) == 2
    new_secret = link_secret(session, first.email)
    assert new_secret != secrets[first.email]
    with pytest.raises(NotFound):  # the old link is dead
        rater.open_rater_form(session=session, secret=secrets[first.email])
    assert rater.open_rater_form(session=session, secret=new_secret).version == 2
    with pytest.raises(VersionConflict):
        service.resend_invitation(
            session=session, user=owner, invitation_id=first.id or 0, expected_version=1
        )

    second = state.invitations[1]
    service.cancel_invitation(
        session=session, user=owner, invitation_id=second.id or 0, expected_version=1
    )
    with pytest.raises(LinkGone):
        rater.open_rater_form(session=session, secret=secrets[second.email])
    with pytest.raises(VersionConflict, match="cancelled"):
        service.resend_invitation(
            session=session, user=owner, invitation_id=second.id or 0, expected_version=2
        )
    # A cancelled address may be invited again.
    state = service.invite_raters(
        session=session,
        user=owner,
        request_id=state.id,
        expected_version=1,
        raters=[RaterIn(email=second.email, group="peers")],
    )
    assert [i.status for i in state.invitations] == ["invited", "cancelled", "invited", "invited"]

    closed = service.close_request(
        session=session, user=owner, request_id=state.id, expected_version=2
    )
    assert closed.request.status == "closed" and closed.request.closed_at is not None
    with pytest.raises(LinkGone):
        rater.open_rater_form(session=session, secret=secrets["m@example.test"])
    with pytest.raises(VersionConflict, match="closed"):
        service.invite_raters(
            session=session,
            user=owner,
            request_id=state.id,
            expected_version=3,
            raters=[RaterIn(email="late@example.test", group="peers")],
        )


def test_a_rater_saves_comes_back_and_submits_once(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    state, secrets = open_request(
        session, user=owner, assessment_id=submitted(owner), raters=RATERS
    )
    secret = secrets["a@example.test"]
    form = rater.open_rater_form(session=session, secret=secret)
    assert form.participant_name == owner.display_name and form.total == 2
    assert [a.index for a in form.anchors(form.rubric.competencies[0].behaviors[1])] == [0, 2]

    with pytest.raises(InvalidInput) as caught:
        rater.save_rater_answers(
            session=session,
            secret=secret,
            expected_version=1,
            answers=AnswersIn(
                choices={"review": "1", "nope": "0"}, comments={"planning": "c" * 2001}
            ),
        )
    assert [e["loc"] for e in caught.value.errors or []] == [
        ["body", "choices", "review"],
        ["body", "choices", "nope"],
        ["body", "comments", "planning"],
    ]

    form = rater.save_rater_answers(
        session=session,
        secret=secret,
        expected_version=1,
        answers=AnswersIn(choices={"planning": "2"}, comments={"planning": " Solid plans "}),
    )
    assert form.version == 2 and form.invitation.status == InvitationStatus.started.value
    with pytest.raises(VersionConflict):
        rater.save_rater_answers(
            session=session, secret=secret, expected_version=1, answers=AnswersIn()
        )
    again = rater.open_rater_form(session=session, secret=secret)
    assert again.choice("planning") == "2" and again.comment("planning") == "Solid plans"

    incomplete = rater.submit_rater_answers(
        session=session, secret=secret, expected_version=2, answers=AnswersIn(keep_doing="Plan")
    )
    assert incomplete.missing == ["review"] and not incomplete.form.submitted
    done = rater.submit_rater_answers(
        session=session,
        secret=secret,
        expected_version=3,
        answers=AnswersIn(choices={"review": rater.NOT_OBSERVED}, start_doing="Review"),
    )
    assert done.form.submitted and done.missing == []
    thanks = rater.open_rater_form(session=session, secret=secret)
    assert thanks.submitted and thanks.answers == {}  # never read back through the link
    with pytest.raises(VersionConflict, match="submitted"):
        rater.save_rater_answers(
            session=session, secret=secret, expected_version=thanks.version, answers=AnswersIn()
        )
    with pytest.raises(VersionConflict):
        service.cancel_invitation(
            session=session,
            user=owner,
            invitation_id=thanks.invitation.id or 0,
            expected_version=thanks.version,
        )

    (response,) = load_rater_responses(session, assessment_id=state.assessment_id)
    assert response.group == "peers"
    assert dict(response.levels) == {"planning": 2, "review": None}
    assert dict(response.comments) == {"planning": "Solid plans"}
    assert (response.keep_doing, response.start_doing) == ("Plan", "Review")


def test_unknown_and_expired_links(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    state, secrets = open_request(
        session, user=owner, assessment_id=submitted(owner), raters=RATERS
    )
    for secret in ("", "x" * 200, "not-a-link"):
        with pytest.raises(NotFound):
            rater.open_rater_form(session=session, secret=secret)
    invitation = state.invitations[0]
    invitation.expires_at = invitation.expires_at - timedelta(days=400)
    session.add(invitation)
    session.flush()
    with pytest.raises(LinkGone) as gone:
        rater.open_rater_form(session=session, secret=secrets[invitation.email])
    assert gone.value.detail == rater.GONE
