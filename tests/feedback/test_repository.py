"""``load_rater_responses``: submitted raters only, anonymous, in an order that says nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from app.accounts.credentials import hash_secret, new_secret
from app.core.timeutils import utcnow
from app.feedback import repository
from app.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackOverall,
    FeedbackRequest,
    InvitationStatus,
)
from app.feedback.responses import RaterResponse
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory


def _rater(
    session: Session, request: FeedbackRequest, *, group: str, status: InvitationStatus
) -> FeedbackInvitation:
    assert request.id is not None
    row = FeedbackInvitation(
        request_id=request.id,
        email=f"{new_secret()[:8].lower()}@example.test",
        group=group,
        token_hash=hash_secret(new_secret()),
        expires_at=utcnow() + timedelta(days=3),
        status=status.value,
    )
    session.add(row)
    session.flush()
    return row


def test_only_submitted_answers_come_back_without_who(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    assessment_id = submitted(make_user())
    other_assessment = submitted(make_user())
    request = FeedbackRequest(assessment_id=assessment_id, due_date=date.today())
    elsewhere = FeedbackRequest(assessment_id=other_assessment, due_date=date.today())
    session.add_all([request, elsewhere])
    session.flush()

    done = _rater(session, request, group="peers", status=InvitationStatus.submitted)
    session.add_all(
        [
            FeedbackAnswer(invitation_id=done.id, behavior_id="plan-work", level_index=1),
            FeedbackAnswer(
                invitation_id=done.id, behavior_id="review-work", not_observed=True, comment=" "
            ),
            FeedbackAnswer(invitation_id=done.id, behavior_id="third", comment="Clear notes"),
            FeedbackOverall(invitation_id=done.id, keep_doing="Listening", start_doing="Deciding"),
        ]
    )
    bare = _rater(session, request, group="manager", status=InvitationStatus.submitted)
    for status in (InvitationStatus.started, InvitationStatus.invited, InvitationStatus.cancelled):
        draft = _rater(session, request, group="peers", status=status)
        session.add(FeedbackAnswer(invitation_id=draft.id, behavior_id="plan-work", level_index=4))
    foreign = _rater(session, elsewhere, group="peers", status=InvitationStatus.submitted)
    session.add(FeedbackAnswer(invitation_id=foreign.id, behavior_id="plan-work", level_index=0))
    session.flush()

    responses = repository.load_rater_responses(session, assessment_id=assessment_id)

    expected = {
        done.token_hash: RaterResponse(
            group="peers",
            levels={"plan-work": 1, "review-work": None},
            comments={"third": "Clear notes"},
            keep_doing="Listening",
            start_doing="Deciding",
        ),
        bare.token_hash: RaterResponse(
            group="manager", levels={}, comments={}, keep_doing="", start_doing=""
        ),
    }
    # Ordered by the random token hash: neither by id nor by time.
    assert responses == [expected[key] for key in sorted(expected)]
    assert repository.load_rater_responses(session, assessment_id=10**9) == []
