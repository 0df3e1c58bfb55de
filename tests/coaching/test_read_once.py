"""The results and review pages read an assessment once and validate its result once.

They used to load the same assessment two or three times a request (the page,
the shared review, the review state) and validate its stored ``ScoringResult``
on every read (docs/benchmarks.md, HTML pages). These tests pin what the
shortcut relies on: the history line built from a loaded state is the one the
database gives, and the pieces of one page share one record.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role
from app.assessments import service as assessments
from app.assessments.state import AssessmentState
from app.coaching import service as coaching
from app.scoring import ScoringResult
from tests.coaching.conftest import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.reviews import finalize_a_review


def _submitted_state(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> AssessmentState:
    person = make_user(Role.participant)
    aid = submitted(person)
    return assessments.get_assessment_for(session=session, user=person, assessment_id=aid)


def test_a_states_summary_is_its_history_line(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    state = _submitted_state(session, make_user, submitted)
    line = assessments.find_assessment(session=session, assessment_id=state.id)
    assert state.summary == line
    assert state.summary.answered == line.answered > 0


def test_the_stored_result_is_validated_once_per_record(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    state = _submitted_state(session, make_user, submitted)
    first = state.result
    assert first is not None and state.result is first
    assert first == ScoringResult.model_validate(state.assessment.result)


def test_the_review_workspace_shares_the_assessments_record(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    coach, person = make_user(Role.coach), make_user(Role.participant)
    accounts.assign_coach(session=session, coach=coach, participant=person)
    aid = submitted(person)
    review_id = finalize_a_review(
        session, coach, aid, shared_notes="Shared", private_notes="Private", action_title="Do it"
    )
    state, answered = coaching.get_review_with_answers(
        session=session, user=coach, review_id=review_id
    )
    assert answered is not None and answered.id == aid and answered.responses
    assert state.assessment is answered.assessment
    assert state.result is answered.result
    assert state.private_notes == "Private"

    as_participant, none = coaching.get_review_with_answers(
        session=session, user=person, review_id=review_id
    )
    assert none is None and as_participant.private_notes is None
