"""A participant's coaching record as they see it, for their data export (GDPR Art. 15/20).

Always the participant audience, whoever the person also is (an admin who is
assessed gets no drafts and no private notes of their own reviews): the
shapes are :class:`~app.coaching.schemas.SharedReviewOut` and
:class:`~app.coaching.schemas.PlanActionOut`, which have no field for a coach's
private notes. The caller (``app.privacy``) has authorized: it exports the
signed-in person's own data.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.coaching import repository
from app.coaching.plan import load_plan
from app.coaching.schemas import PlanActionOut, SharedReviewOut
from app.coaching.service import review_state
from app.coaching.state import Audience


def shared_reviews_of(*, session: Session, participant_id: int) -> list[dict[str, Any]]:
    """Every finalized review of the participant's assessments, oldest first."""
    reviews = repository.reviews_of(session, participant_ids=[participant_id], final_only=True)
    return [
        SharedReviewOut.of(review_state(session, review, Audience.participant)).model_dump(
            mode="json"
        )
        for review in reviews
    ]


def plan_of(*, session: Session, participant_id: int) -> list[dict[str, Any]]:
    """The participant's agreed plan actions with their history."""
    entries = load_plan(session, participant_id=participant_id, audience=Audience.participant)
    return [PlanActionOut.of(entry).model_dump(mode="json") for entry in entries]
