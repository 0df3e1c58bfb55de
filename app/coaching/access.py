"""Loading coaching rows and deciding who is looking, through the accounts policy.

Every coaching read and write starts here, so the rule is in one place: the
assigned coach (or an admin) is the *coach audience* and sees everything; the
participant themself is the *participant audience* and sees finalized,
shared parts only; anyone else gets 404, like an id that does not exist.
Assessments come from the assessments domain's service (plain summaries),
users from the accounts domain's.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.accounts.service import users_by_ids
from app.assessments import service as assessments
from app.assessments.state import AssessmentSummary
from app.coaching import repository
from app.coaching.models import CoachReview, PlanAction
from app.coaching.state import Audience, Person
from app.core.exceptions import NotFound

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
    row = repository.get_review(session, review_id)
    if row is None:
        raise NotFound(f"{REVIEW} not found")
    return row


def load_assessment(session: Session, assessment_id: int) -> AssessmentSummary:
    """The assessment (with its rubric) as the assessments domain hands it out, or 404."""
    return assessments.find_assessment(session=session, assessment_id=assessment_id)


def load_action(session: Session, action_id: int) -> PlanAction:
    row = repository.get_action(session, action_id)
    if row is None:
        raise NotFound(f"{ACTION} not found")
    return row


def people(session: Session, *user_ids: int | None) -> dict[int, Person]:
    """The named users, as plain :class:`Person` values, in one statement."""
    found = users_by_ids(session=session, ids=[i for i in user_ids if i is not None])
    return {uid: Person.of(u) for uid, u in found.items()}


def load_participant(session: Session, participant_id: int) -> Person:
    person = people(session, participant_id).get(participant_id)
    if person is None:
        raise NotFound("Participant not found")
    return person
