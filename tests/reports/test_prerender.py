"""Pre-rendering on SQLite: submit and finalize queue a render, the runner caches the report.

The job runner opens connections of its own, so it cannot see the suite's
rolled-back test transaction: here ``session`` commits for real, in a
database file of this module's own (migrated, with the fixture rubrics), and
the whole stack (factories, the app, the runner) works on it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.assessments import service as assessments
from app.core import migrations
from app.core.config import get_settings
from app.core.db import make_engine
from app.core.deps import SessionDep
from app.core.exceptions import Conflict
from app.core.timeutils import utcnow
from app.jobs import runner
from app.jobs.models import Job, JobStatus
from app.reports.leases import acquire_lease, release_lease
from app.reports.models import ReportCache, ReportRenderLease
from app.reports.pool import shutdown_pool
from app.reports.prerender import PRERENDER_TASK, queue_prerender
from app.reports.service import prepare_owner_report
from app.rubrics.loader import load_rubric_dir
from app.rubrics.service import sync_rubrics
from tests.fixtures.api import Headers
from tests.fixtures.assessments import make_assessment
from tests.fixtures.database import FIXTURE_RUBRICS
from tests.fixtures.events import OnlySubscribers
from tests.reports.conftest import MINI_ANSWERS, SubmitFactory
from tests.reports.test_coach_parts import _review

STALE = timedelta(minutes=10)


@pytest.fixture(scope="module")
def committed_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('prerender') / 'prerender.db'}"
    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(FIXTURE_RUBRICS))
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def session(committed_engine: Engine) -> Iterator[Session]:
    """Overrides the suite's rolled-back session: every commit here is real."""
    with Session(committed_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _prerender_subscriber_only(only_subscribers: OnlySubscribers) -> None:
    """Submits and finalizes here queue the render alone (not the coach's mail too)."""
    only_subscribers(queue_prerender)


def run_due_jobs(engine: Engine) -> int:
    """What the in-process runner does between its sleeps: every due job, once."""
    return runner.run_until_idle(engine=engine, stale_after=STALE, periodic=False)


def prerender_jobs(engine: Engine, assessment_id: int) -> list[Job]:
    with Session(engine) as session:
        jobs = session.exec(
            select(Job).where(col(Job.task) == PRERENDER_TASK).order_by(col(Job.id))
        ).all()
    return [job for job in jobs if json.loads(job.args) == {"assessment_id": assessment_id}]


def cache_rows(engine: Engine, assessment_id: int) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = session.exec(
            select(ReportCache).where(col(ReportCache.assessment_id) == assessment_id)
        ).all()
        return [(row.key, row.size) for row in rows]


def leases(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(ReportRenderLease)).all())


def download(client: TestClient, assessment_id: int, headers: dict[str, str]) -> tuple[str, str]:
    """The first download: its cache header and ETag (the key it asked for)."""
    response = client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", headers=headers)
    assert response.status_code == 200, response.text
    return response.headers["x-report-cache"], response.headers["etag"].strip('"')


@pytest.fixture
def first_download(
    client: TestClient, participant: User, headers: Headers
) -> Callable[[int], tuple[str, str]]:
    """The participant downloads their report: (cache header, key)."""
    return lambda assessment_id: download(client, assessment_id, headers(participant))


def test_after_submit_the_first_download_is_a_cache_hit(
    first_download: Callable[[int], tuple[str, str]],
    committed_engine: Engine,
    assessment_id: int,
) -> None:
    (job,) = prerender_jobs(committed_engine, assessment_id)
    assert job.status == JobStatus.queued
    assert cache_rows(committed_engine, assessment_id) == []  # nothing rendered yet

    assert run_due_jobs(committed_engine) == 1
    (job,) = prerender_jobs(committed_engine, assessment_id)
    assert job.status == JobStatus.succeeded, job.last_error
    ((key, size),) = cache_rows(committed_engine, assessment_id)
    assert size > 1000 and leases(committed_engine) == 0

    # The download computes the same key and finds it: no render, no new row.
    assert first_download(assessment_id) == ("hit", key)
    assert cache_rows(committed_engine, assessment_id) == [(key, size)]


def test_finalizing_a_review_caches_the_new_report(
    client: TestClient,
    committed_engine: Engine,
    session: Session,
    participant: User,
    coach: User,
    submitted: SubmitFactory,
    headers: Headers,
) -> None:
    assessment_id = submitted(participant, answers=MINI_ANSWERS)
    assert run_due_jobs(committed_engine) == 1
    ((self_only, _),) = cache_rows(committed_engine, assessment_id)

    _review(session, coach, assessment_id, planning=2, target=3)
    assert [job.status for job in prerender_jobs(committed_engine, assessment_id)] == [
        JobStatus.succeeded,
        JobStatus.queued,
    ]
    assert run_due_jobs(committed_engine) == 1
    ((reviewed, _),) = cache_rows(committed_engine, assessment_id)  # the old render replaced
    assert reviewed != self_only
    assert download(client, assessment_id, headers(participant)) == ("hit", reviewed)


def test_without_a_job_run_the_download_still_renders_on_demand(
    first_download: Callable[[int], tuple[str, str]],
    committed_engine: Engine,
    assessment_id: int,
) -> None:
    cache, key = first_download(assessment_id)
    assert cache == "miss"
    # The job that runs afterwards finds the report cached and renders nothing.
    assert run_due_jobs(committed_engine) == 1
    (job,) = prerender_jobs(committed_engine, assessment_id)
    assert job.status == JobStatus.succeeded
    assert [k for k, _ in cache_rows(committed_engine, assessment_id)] == [key]


def test_a_rolled_back_request_queues_no_render(
    fresh_app: FastAPI,
    committed_engine: Engine,
    session: Session,
    participant: User,
    headers: Headers,
) -> None:
    draft = make_assessment(session=session, user=participant, answers=MINI_ANSWERS, submit=False)
    session.commit()

    @fresh_app.post("/_probe/submit-then-fail")
    def submit_then_fail(db: SessionDep, user: CurrentUser) -> None:
        assessments.submit_assessment(
            session=db, user=user, assessment_id=draft.id, expected_version=draft.version
        )
        raise Conflict("changed my mind")

    with TestClient(fresh_app) as probe:
        failed = probe.post("/_probe/submit-then-fail", headers=headers(participant))
    assert failed.status_code == 409
    assert prerender_jobs(committed_engine, draft.id) == []
    assert run_due_jobs(committed_engine) == 0
    assert cache_rows(committed_engine, draft.id) == []


def test_a_failed_render_is_retried(
    first_download: Callable[[int], tuple[str, str]],
    committed_engine: Engine,
    assessment_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A time limit no render meets: the pool stops the render, the job fails.
    monkeypatch.setenv("STEPWISE_REPORT_TIMEOUT_SECONDS", "0.001")
    get_settings.cache_clear()
    shutdown_pool()
    try:
        before = utcnow()
        assert run_due_jobs(committed_engine) == 1
    finally:
        monkeypatch.delenv("STEPWISE_REPORT_TIMEOUT_SECONDS")
        get_settings.cache_clear()
        shutdown_pool()
    (job,) = prerender_jobs(committed_engine, assessment_id)
    assert job.status == JobStatus.queued and job.attempts == 1
    assert job.last_error is not None and job.last_error.startswith("ReportTimeout")
    assert job.run_at.replace(tzinfo=before.tzinfo) >= before + timedelta(seconds=29)
    assert cache_rows(committed_engine, assessment_id) == []
    assert leases(committed_engine) == 0  # the failed render let go of its lease

    with Session(committed_engine) as db:  # the retry is due (as if 30 s had passed)
        db.execute(update(Job).where(col(Job.id) == job.id).values(run_at=utcnow()))
        db.commit()
    assert run_due_jobs(committed_engine) == 1
    (job,) = prerender_jobs(committed_engine, assessment_id)
    assert job.status == JobStatus.succeeded and job.attempts == 2
    ((key, _),) = cache_rows(committed_engine, assessment_id)
    assert first_download(assessment_id) == ("hit", key)


def test_a_render_in_flight_is_not_rendered_twice(
    committed_engine: Engine,
    participant: User,
    submitted: SubmitFactory,
) -> None:
    """A download holds the lease on the report's key: the job leaves the render to it."""
    assessment_id = submitted(participant, answers=MINI_ANSWERS)
    with Session(committed_engine) as db:
        found = prepare_owner_report(session=db, assessment_id=assessment_id)
        assert found is not None
        key = found[0].key
        assert participant.id is not None
        assert acquire_lease(
            session=db, key=key, user_id=participant.id, ttl_seconds=60, per_user=2
        )
        db.commit()
    try:
        assert run_due_jobs(committed_engine) == 1
        (job,) = prerender_jobs(committed_engine, assessment_id)
        assert job.status == JobStatus.succeeded
        assert cache_rows(committed_engine, assessment_id) == []  # left to the lease's holder
    finally:
        with Session(committed_engine) as db:
            release_lease(session=db, key=key)
            db.commit()


def test_the_render_holds_no_transaction(
    committed_engine: Engine, participant: User, submitted: SubmitFactory
) -> None:
    """While the job renders, another writer gets SQLite's write lock at once."""
    assessment_id = submitted(participant, answers=MINI_ANSWERS)
    ran: list[int] = []
    job = threading.Thread(target=lambda: ran.append(run_due_jobs(committed_engine)))
    job.start()
    try:
        deadline = time.monotonic() + 60
        while leases(committed_engine) == 0:  # the lease is taken: the render has begun
            assert job.is_alive() and time.monotonic() < deadline, "no render began"
            time.sleep(0.01)
        impatient = make_engine(str(committed_engine.url), busy_timeout_ms=200)
        try:
            with Session(impatient) as db:
                db.execute(update(Job).where(col(Job.id) == -1).values(attempts=0))
                db.commit()  # "database is locked" if the job still held its transaction
        finally:
            impatient.dispose()
        assert cache_rows(committed_engine, assessment_id) == []  # still rendering
    finally:
        job.join(timeout=120)
    assert ran == [1]
    assert len(cache_rows(committed_engine, assessment_id)) == 1
