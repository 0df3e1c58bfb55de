"""Loading coaching rows and deciding who is looking, through the accounts policy.

Every coaching read and write starts here, so the rule is in one place: the
assigned coach (or an admin) is the *coach audience* and sees everything; the
participant themself is the *participant audience* and sees finalized,
shared parts only; anyone else gets 404, like an id that does not exist.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import User
from app.assessments.models import Assessment
from app.coaching.models import CoachReview, PlanAction, ReviewRating, ReviewStatus
from app.coaching.state import Audience
from app.core.exceptions import NotFound
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import Rubric
from app.rubrics.service import rubric_of

REVIEW = "Review"
ACTION = "Plan action"


def audience_for(*, session: Session, user: User, participant_id: int, what: str) -> Audience:
    """Coach side or participant; 404 for anyone who may not see the participant at all."""
    policy.ensure_can_view(session=session, user=user, participant_id=participant_id, what=what)
    try:
        policy.ensure_coach_of(session=session, user=user, participant_id=participant_id, what=what)
    except NotFound:
        return Audience.participant  # may view, is not a coach of them: the owner
    return Audience.coach


def load_review(session: Session, review_id: int) -> CoachReview:
    row = session.get(CoachReview, review_id)
    if row is None:
        raise NotFound(f"{REVIEW} not found")
    return row


def load_assessment(session: Session, assessment_id: int, what: str = "Assessment") -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"{what} not found")
    return row


def load_action(session: Session, action_id: int) -> PlanAction:
    row = session.get(PlanAction, action_id)
    if row is None:
        raise NotFound(f"{ACTION} not found")
    return row


def load_participant(session: Session, participant_id: int) -> User:
    user = session.get(User, participant_id)
    if user is None:
        raise NotFound("Participant not found")
    return user


def rubric_version_of(session: Session, assessment: Assessment) -> RubricVersion:
    row = session.get(RubricVersion, assessment.rubric_version_id)
    assert row is not None  # a foreign key; rubric versions are never deleted
    return row


def rubric_for(session: Session, assessment: Assessment) -> Rubric:
    return rubric_of(rubric_version_of(session, assessment))


def ratings_of(session: Session, review_id: int) -> dict[str, ReviewRating]:
    rows = session.exec(select(ReviewRating).where(col(ReviewRating.review_id) == review_id))
    return {row.behavior_id: row for row in rows}


def latest_final(session: Session, assessment_id: int) -> CoachReview | None:
    """The newest finalized session of an assessment, if any."""
    return session.exec(
        select(CoachReview)
        .where(
            col(CoachReview.assessment_id) == assessment_id,
            col(CoachReview.status) == ReviewStatus.final.value,
        )
        .order_by(col(CoachReview.finalized_at).desc(), col(CoachReview.id).desc())
    ).first()
