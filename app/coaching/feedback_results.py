"""Feedback results beside the coach's levels: the JSON API and the helper the pages use.

The feedback domain (one layer down) aggregates the raters' answers; the
coach's level per behavior is coaching's, so the two meet here. The coach
column is the newest *finalized* review's (what the participant sees), so
every audience gets the same value: owner, assigned coach, admin. Anyone
else gets 404, like an assessment that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter
from sqlmodel import Session

from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.assessments.state import AssessmentState
from app.coaching.service import latest_shared_review
from app.coaching.state import RatingRecord, SharedReview
from app.core.deps import SessionDep
from app.core.types import Id
from app.feedback.results import FeedbackResults, feedback_results_of, get_feedback_results
from app.feedback.results_schemas import FeedbackResultsOut

router = APIRouter(prefix="/api/v1", tags=["feedback"])


def coach_levels_of(ratings: Mapping[str, RatingRecord]) -> dict[str, int | None]:
    """A review's coach level per behavior."""
    return {behavior_id: rating.coach_level for behavior_id, rating in ratings.items()}


def shared_coach_levels(shared: SharedReview | None) -> dict[str, int | None]:
    """The finalized review's coach levels (none without a finalized review)."""
    return {} if shared is None else coach_levels_of(shared.ratings)


def feedback_beside_review(
    *, session: Session, state: AssessmentState, shared: SharedReview | None
) -> FeedbackResults:
    """For pages that have authorized the assessment and loaded its shared review."""
    return feedback_results_of(
        session=session, state=state, coach_levels=shared_coach_levels(shared)
    )


def get_feedback_with_coach(*, session: Session, user: User, assessment_id: int) -> FeedbackResults:
    """The shown feedback results with the finalized coach levels; 404 for anyone else."""
    shared = latest_shared_review(session=session, user=user, assessment_id=assessment_id)
    return get_feedback_results(
        session=session,
        user=user,
        assessment_id=assessment_id,
        coach_levels=shared_coach_levels(shared),
    )


@router.get("/assessments/{assessment_id}/feedback/results", response_model=FeedbackResultsOut)
def feedback_results(
    assessment_id: Id, session: SessionDep, user: CurrentUser
) -> FeedbackResultsOut:
    """Per key behavior: self, coach and the raters' shown aggregates (docs/feedback.md)."""
    return FeedbackResultsOut.of(
        get_feedback_with_coach(session=session, user=user, assessment_id=assessment_id)
    )
