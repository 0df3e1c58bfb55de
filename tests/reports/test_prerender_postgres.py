"""Pre-rendering on PostgreSQL: a real ``stepwise worker`` caches the report after a submit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from app.reports.models import ReportCache
from app.reports.prerender import PRERENDER_TASK
from app.reports.service import prepare_owner_report
from app.rubrics.loader import load_rubric_dir
from app.rubrics.service import sync_rubrics
from tests.fixtures.assessments import submitted_by_newcomer
from tests.fixtures.database import FIXTURE_RUBRICS
from tests.fixtures.postgres import wait_until, worker, worker_env
from tests.reports.conftest import MINI_ANSWERS

pytestmark = pytest.mark.postgres


def submit_one(engine: Engine) -> int:
    """A participant's submitted ``mini`` assessment, committed (with its queued render)."""
    with Session(engine, expire_on_commit=False) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(FIXTURE_RUBRICS))
        state = submitted_by_newcomer(
            session=session, email="pat@example.test", answers=MINI_ANSWERS
        )
        session.commit()
        return state.id


def cached_keys(engine: Engine, assessment_id: int) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(ReportCache).where(col(ReportCache.assessment_id) == assessment_id)
        ).all()
        return [row.key for row in rows]


def prerender_statuses(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status::text FROM procrastinate_jobs WHERE task_name = :task"),
            {"task": PRERENDER_TASK},
        ).all()
    return [row[0] for row in rows]


def test_a_worker_caches_the_report_after_a_submit(
    pg_url: str, pg_engine: Engine, tmp_path: Path
) -> None:
    assessment_id = submit_one(pg_engine)
    assert prerender_statuses(pg_engine) == ["todo"]
    assert cached_keys(pg_engine, assessment_id) == []
    log = tmp_path / "worker.log"
    with worker(worker_env(pg_url, {}), log):
        wait_until(
            lambda: prerender_statuses(pg_engine) == ["succeeded"],
            timeout=120,
            explain=lambda: f"{prerender_statuses(pg_engine)}\n{log.read_text()}",
        )
    with Session(pg_engine) as session:
        found = prepare_owner_report(session=session, assessment_id=assessment_id)
    assert found is not None
    # The key the owner's download computes: that download is a cache hit.
    assert cached_keys(pg_engine, assessment_id) == [found[0].key]
