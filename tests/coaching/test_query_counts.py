"""The coach's pages, growth and a report's inputs run the same statements for 1 or 20 rows.

Each case builds two worlds through the real services -- one with a single
coachee (or assessment), one with twenty, each with a finalized review and a
plan action -- and counts the SQL statements (``before_cursor_execute``) of
the same call in both. Equal counts mean no query per coachee, assessment or
review (an N+1 adds at least 19 statements to the larger world).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.assessments import service as assessments
from app.coaching import overview
from app.coaching.report_inputs import coaching_for_report
from app.reports.inputs import report_inputs
from app.reports.model import PlanActionInput, ReviewInput
from tests.coaching.conftest import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.queries import StatementCount, count_statements
from tests.fixtures.reviews import finalize_a_review

SIZES = (1, 20)


def _reviewed(session: Session, coach: User, assessment_id: int) -> None:
    """A finalized review with one plan action on an assessment."""
    finalize_a_review(
        session,
        coach,
        assessment_id,
        shared_notes="Shared words",
        private_notes="Private words",
        action_title="Do a thing",
    )


def _coach_with(
    n: int, make_user: UserFactory, submitted: SubmitFactory, session: Session
) -> tuple[User, list[User]]:
    coach = make_user(Role.coach)
    people = []
    for _ in range(n):
        person = make_user(Role.participant)
        accounts.assign_coach(session=session, coach=coach, participant=person)
        _reviewed(session, coach, submitted(person))
        people.append(person)
    session.flush()
    return coach, people


def _participant_with(
    n: int, make_user: UserFactory, submitted: SubmitFactory, session: Session
) -> tuple[User, User, list[int]]:
    coach, (person,) = _coach_with(1, make_user, submitted, session)
    aids = [a.id for a in assessments.list_my_assessments(session=session, user=person)]
    for _ in range(n - 1):
        aid = submitted(person)
        _reviewed(session, coach, aid)
        aids.append(aid)
    return coach, person, aids


def _counted(session: Session, call: Callable[[], object]) -> StatementCount:
    call()  # warm what is derived once per process (parsed rubrics)
    session.expunge_all()  # nothing from the identity map: every read goes to the database
    with count_statements(session) as counted:
        call()
    return counted


def _assert_equal(counts: list[StatementCount]) -> None:
    small, large = counts
    assert small.count == large.count, f"1 row: {small}\n20 rows: {large}"


def test_coach_overview(session: Session, make_user: UserFactory, submitted: SubmitFactory) -> None:
    def measure(n: int) -> StatementCount:
        coach, _ = _coach_with(n, make_user, submitted, session)
        counted = _counted(
            session,
            lambda: overview.list_coachees(session=session, user=coach, after=None, limit=50),
        )
        assert (
            len(overview.list_coachees(session=session, user=coach, after=None, limit=50).items)
            == n
        )
        return counted

    _assert_equal([measure(n) for n in SIZES])


@pytest.mark.parametrize("page", ["participant", "growth"])
def test_participant_page_and_growth(
    page: str, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    def measure(n: int) -> StatementCount:
        coach, person, _ = _participant_with(n, make_user, submitted, session)
        assert person.id is not None
        pid = person.id

        def call() -> object:
            if page == "growth":
                return overview.get_growth(session=session, user=coach, participant_id=pid)
            return overview.get_participant_overview(
                session=session, user=coach, participant_id=pid
            )

        counted = _counted(session, call)
        view = overview.get_participant_overview(session=session, user=coach, participant_id=pid)
        assert len(view.assessments) == len(view.reviews) == n
        return counted

    _assert_equal([measure(n) for n in SIZES])


def test_report_inputs(session: Session, make_user: UserFactory, submitted: SubmitFactory) -> None:
    """What reports read of assessments and coaching for one report: history, review, plan."""

    def measure(n: int) -> StatementCount:
        _, person, aids = _participant_with(n, make_user, submitted, session)
        assert person.id is not None
        pid, newest = person.id, aids[-1]
        rubric = assessments.get_assessment_for(
            session=session, user=person, assessment_id=newest
        ).rubric

        def call() -> tuple[ReviewInput | None, list[PlanActionInput]]:
            assessments.list_assessments_for(session=session, user=person, participant_id=pid)
            return report_inputs(coaching_for_report(session=session, assessment_id=newest), rubric)

        counted = _counted(session, call)
        review, actions = call()
        assert review is not None and len(actions) == n
        return counted

    _assert_equal([measure(n) for n in SIZES])
