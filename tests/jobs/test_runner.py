"""The SQLite runner: transactional enqueue, retries with backoff, periodic ticks, restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.jobs import runner, service
from app.jobs.models import Job, JobStatus
from app.jobs.queue import enqueue
from app.jobs.registry import TASKS, TaskSpec, task
from tests.fixtures.jobs import jobs_in

STALE = timedelta(minutes=10)
CALLS: list[dict[str, Any]] = []
FAILURES: list[tuple[str, bool]] = []


def _on_failure(*, session: Session, args: dict[str, Any], error: str, final: bool) -> None:
    FAILURES.append((error, final))


@task("tests.record")
def record(*, session: Session, value: int) -> None:
    CALLS.append({"value": value})


@task("tests.always_fails", max_attempts=3, retry_base_seconds=10, on_failure=_on_failure)
def always_fails(*, session: Session) -> None:
    raise RuntimeError("the far side is down")


def run(engine: Engine) -> int:
    """Run what is due, without the periodic ticks (their own test is below)."""
    return runner.run_until_idle(engine=engine, stale_after=STALE, periodic=False)


@pytest.fixture(autouse=True)
def _clean() -> None:
    CALLS.clear()
    FAILURES.clear()


def test_a_committed_job_runs_once(jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session:
        enqueue(session=session, task="tests.record", args={"value": 7})
        session.commit()
    assert run(jobs_engine) == 1
    assert run(jobs_engine) == 0
    assert CALLS == [{"value": 7}]
    (job,) = jobs_in(jobs_engine)
    assert job.status == JobStatus.succeeded and job.attempts == 1


def test_a_rolled_back_transaction_enqueues_nothing(jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session:
        enqueue(session=session, task="tests.record", args={"value": 1})
        session.rollback()
    assert jobs_in(jobs_engine) == []
    assert run(jobs_engine) == 0
    assert CALLS == []


def test_unknown_task_names_are_refused_when_enqueueing(jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session, pytest.raises(KeyError):
        enqueue(session=session, task="tests.no_such_task")


def test_failures_retry_with_backoff_then_fail_and_can_be_retried(jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session:
        enqueue(session=session, task="tests.always_fails")
        session.commit()
    before = datetime.now(UTC)
    assert run(jobs_engine) == 1
    (job,) = jobs_in(jobs_engine)
    assert job.status == JobStatus.queued and job.attempts == 1
    assert job.last_error == "RuntimeError: the far side is down"
    assert job.run_at >= before + timedelta(seconds=10)  # first retry after 10 s
    # Not due yet: nothing runs. Then pretend time passed, twice.
    assert run(jobs_engine) == 0
    for expected_wait in (20,):
        claimed = runner.claim_next(engine=jobs_engine, now=job.run_at)
        assert claimed is not None
        runner.run_claimed(claimed, engine=jobs_engine)
        (job,) = jobs_in(jobs_engine)
        assert job.status == JobStatus.queued and job.attempts == 2
        assert job.run_at >= datetime.now(UTC) + timedelta(seconds=expected_wait - 1)
    claimed = runner.claim_next(engine=jobs_engine, now=job.run_at)
    assert claimed is not None
    runner.run_claimed(claimed, engine=jobs_engine)
    (job,) = jobs_in(jobs_engine)
    assert job.status == JobStatus.failed and job.attempts == 3
    assert [final for _, final in FAILURES] == [False, False, True]

    with Session(jobs_engine) as session:
        failed = service.list_jobs(session=session, statuses=("failed",))
        assert [j.id for j in failed] == [job.id]
        assert job.id is not None
        service.retry_job(session=session, job_id=job.id)
        session.commit()
    assert run(jobs_engine) == 1
    (job,) = jobs_in(jobs_engine)
    assert job.status == JobStatus.failed and job.attempts == 4  # one more run, then failed


def test_retry_wait_doubles_and_is_capped() -> None:
    spec = TaskSpec(name="x", fn=record, retry_base_seconds=30, retry_max_seconds=100)
    assert [spec.retry_wait_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_two_processes_claim_a_job_once(jobs_engine: Engine, jobs_url: str) -> None:
    from app.core.db import make_engine

    other = make_engine(jobs_url)
    try:
        with Session(jobs_engine) as session:
            enqueue(session=session, task="tests.record", args={"value": 1})
            session.commit()
        first = runner.claim_next(engine=jobs_engine)
        second = runner.claim_next(engine=other)
        assert first is not None and second is None
    finally:
        other.dispose()


def test_a_job_left_running_by_a_dead_process_runs_again(jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session:
        enqueue(session=session, task="tests.record", args={"value": 3})
        session.commit()
    claimed = runner.claim_next(engine=jobs_engine)  # ... and the process dies here
    assert claimed is not None
    assert runner.requeue_stale(engine=jobs_engine, stale_after=STALE) == 0  # still fresh
    later = datetime.now(UTC) + STALE + timedelta(seconds=1)
    assert runner.requeue_stale(engine=jobs_engine, stale_after=STALE, now=later) == 1
    assert run(jobs_engine) == 1
    assert CALLS == [{"value": 3}]


def test_periodic_ticks_are_enqueued_once_across_processes(
    jobs_engine: Engine, jobs_url: str
) -> None:
    from app.core.db import make_engine

    now = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    other = make_engine(jobs_url)
    try:
        first = runner.defer_periodic(engine=jobs_engine, now=now)
        second = runner.defer_periodic(engine=other, now=now + timedelta(minutes=5))
    finally:
        other.dispose()
    periodic = [spec.name for spec in TASKS.values() if spec.cron]
    assert "jobs.prune" in periodic
    assert first == len(periodic) and second == 0
    jobs = jobs_in(jobs_engine)
    prune = [j for j in jobs if j.task == "jobs.prune"]
    assert len(prune) == 1
    assert prune[0].run_at == datetime(2026, 12, 1, 3, 17, tzinfo=UTC)
    assert json.loads(prune[0].args) == {}
    # The next day's tick is a new job.
    assert runner.defer_periodic(engine=jobs_engine, now=now + timedelta(days=1)) == len(periodic)


def test_prune_forgets_old_succeeded_jobs_only(jobs_engine: Engine) -> None:
    old = datetime.now(UTC) - timedelta(days=8)
    with Session(jobs_engine) as session:
        session.add(Job(task="tests.record", args="{}", status="succeeded", finished_at=old))
        session.add(Job(task="tests.record", args="{}", status="failed", finished_at=old))
        session.add(Job(task="tests.record", args="{}", status="succeeded"))
        session.commit()
        assert runner.prune_finished(session=session, older_than=timedelta(days=7)) == 1
        session.commit()
    assert sorted(j.status for j in jobs_in(jobs_engine)) == ["failed", "succeeded"]
