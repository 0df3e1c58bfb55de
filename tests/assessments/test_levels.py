"""The self level per (assessment, behavior): written at submission, backfilled by 0013."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service as assessments
from app.core import migrations
from app.core.db import make_engine
from app.rubrics.loader import load_rubric_dir
from app.rubrics.service import sync_rubrics
from tests.fixtures.assessments import MINI_CONSISTENT, MINI_INCONSISTENT, submitted_by_newcomer
from tests.fixtures.database import FIXTURE_RUBRICS


def _levels(session: Session) -> set[tuple[int, str, str, int]]:
    statement = assessments.self_levels_statement()
    return {tuple(row) for row in session.execute(statement)}  # type: ignore[misc]


def state_owner(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    assert user is not None
    return user


def test_submitting_stores_each_behavior_level_as_the_result_has_it(session: Session) -> None:
    state = submitted_by_newcomer(session=session, email="lv@example.com", answers=MINI_CONSISTENT)
    result = assessments.get_result(
        session=session,
        user=state_owner(session, state.assessment.participant_id),
        assessment_id=state.id,
    )
    expected = {(state.id, b.id, c.id, b.level) for c in result.competencies for b in c.behaviors}
    assert {row for row in _levels(session) if row[0] == state.id} == expected
    # mini, consistent answers: planning reaches 2, review 1
    assert {(row[1], row[3]) for row in expected} == {("planning", 2), ("review", 1)}


def test_an_assessment_in_progress_has_no_levels(session: Session, participant) -> None:  # type: ignore[no-untyped-def]
    state = assessments.create_assessment(session=session, user=participant, rubric_id="mini")
    assert not [row for row in _levels(session) if row[0] == state.id]


def test_migration_backfills_the_levels_of_submitted_assessments(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'backfill.db'}"
    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(FIXTURE_RUBRICS))
        one = submitted_by_newcomer(session=session, email="a@example.com", answers=MINI_CONSISTENT)
        two = submitted_by_newcomer(
            session=session, email="b@example.com", answers=MINI_INCONSISTENT
        )
        session.commit()
        written = _levels(session)
    assert {row[0] for row in written} == {one.id, two.id}
    migrations.downgrade(url, "0012")
    migrations.upgrade(url)
    with Session(engine) as session:
        assert _levels(session) == written
        assert session.execute(text("SELECT count(*) FROM assessment_levels")).scalar() == 4
    engine.dispose()
