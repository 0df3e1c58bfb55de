"""The SQLite runner: jobs from the ``jobs`` table, inside the server or ``stepwise worker``.

Each step claims the oldest due job with one conditional ``UPDATE … WHERE
status = 'queued'`` in its own short transaction (SQLite has one writer, and
the engine begins ``IMMEDIATE``, so two processes never claim the same job),
runs it in a thread with a unit of work of its own, and records the outcome.
A failed run is queued again with exponential backoff until the task's
``max_attempts``; then it is ``failed`` and waits for ``stepwise jobs retry``.

Nothing is kept in memory: a job enqueued while the server was down is simply
due when it starts, and a job whose process died mid-run ("running" for longer
than ``STEPWISE_JOBS_STALE_AFTER_SECONDS``) is queued again. Periodic tasks
enqueue one job per cron tick under a unique ``dedupe_key``, so several
processes defer each tick once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from sqlalchemy import Engine, delete, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.core.timeutils import as_utc, utcnow
from app.jobs.execution import describe_error, run_attempt
from app.jobs.models import Job, JobStatus
from app.jobs.registry import TASKS, periodic_tasks

logger = logging.getLogger("stepwise.jobs")


@dataclass(frozen=True)
class Claimed:
    id: int
    task: str
    args: str
    attempts: int
    max_attempts: int


def claim_next(*, engine: Engine, now: datetime | None = None) -> Claimed | None:
    """Mark the oldest due job running and return it; ``None`` when nothing is due."""
    now = now or utcnow()
    with Session(engine) as session:
        candidates = session.exec(
            select(Job)
            .where(col(Job.status) == JobStatus.queued, col(Job.run_at) <= now)
            .order_by(col(Job.run_at), col(Job.id))
            .limit(5)
        ).all()
        for job in candidates:
            assert job.id is not None
            found = Claimed(job.id, job.task, job.args, job.attempts + 1, job.max_attempts)
            claimed = session.execute(
                update(Job)
                .where(col(Job.id) == job.id, col(Job.status) == JobStatus.queued)
                .values(status=JobStatus.running, attempts=Job.attempts + 1, locked_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(claimed, "rowcount", 0) == 1:
                session.commit()
                return found
        session.commit()
    return None


def _finish(engine: Engine, job_id: int, **values: object) -> None:
    with Session(engine) as session:
        session.execute(update(Job).where(col(Job.id) == job_id).values(**values))
        session.commit()


def run_claimed(claimed: Claimed, *, engine: Engine) -> bool:
    """Run one claimed job and record the outcome; True when it succeeded."""
    spec = TASKS.get(claimed.task)
    if spec is None:
        _finish(engine, claimed.id, status=JobStatus.failed, last_error="unknown task")
        logger.error("job %s: unknown task %s", claimed.id, claimed.task)
        return False
    final = claimed.attempts >= claimed.max_attempts
    try:
        run_attempt(spec, json.loads(claimed.args), final=final, engine=engine)
    except Exception as exc:
        now = utcnow()
        if final:
            _finish(
                engine,
                claimed.id,
                status=JobStatus.failed,
                last_error=describe_error(exc),
                finished_at=now,
                locked_at=None,
            )
        else:
            wait = spec.retry_wait_seconds(claimed.attempts)
            _finish(
                engine,
                claimed.id,
                status=JobStatus.queued,
                last_error=describe_error(exc),
                run_at=now + timedelta(seconds=wait),
                locked_at=None,
            )
        return False
    _finish(engine, claimed.id, status=JobStatus.succeeded, finished_at=utcnow(), locked_at=None)
    return True


def requeue_stale(*, engine: Engine, stale_after: timedelta, now: datetime | None = None) -> int:
    """Queue again the jobs a dead process left "running"."""
    cutoff = (now or utcnow()) - stale_after
    with Session(engine) as session:
        result = session.execute(
            update(Job)
            .where(col(Job.status) == JobStatus.running, col(Job.locked_at) < cutoff)
            .values(status=JobStatus.queued, locked_at=None)
        )
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def latest_tick(cron: str, now: datetime) -> datetime:
    """The most recent cron tick at or before ``now`` (UTC)."""
    tick: datetime = croniter(cron, now).get_prev(datetime)
    return as_utc(tick)


def defer_periodic(*, engine: Engine, now: datetime | None = None) -> int:
    """Enqueue each periodic task's latest tick once; the unique key makes it idempotent."""
    now = now or utcnow()
    added = 0
    with Session(engine) as session:
        for spec in periodic_tasks():
            assert spec.cron is not None
            tick = latest_tick(spec.cron, now)
            result = session.execute(
                sqlite_insert(Job)
                .values(
                    task=spec.name,
                    args="{}",
                    status=JobStatus.queued,
                    attempts=0,
                    max_attempts=spec.max_attempts,
                    run_at=tick,
                    dedupe_key=f"periodic:{spec.name}:{tick.isoformat()}",
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["dedupe_key"])
            )
            added += int(getattr(result, "rowcount", 0) or 0)
        session.commit()
    return added


def prune_finished(*, session: Session, older_than: timedelta) -> int:
    """Delete succeeded jobs finished before the cutoff (failed ones stay for admins)."""
    cutoff = utcnow() - older_than
    result = session.execute(
        delete(Job).where(col(Job.status) == JobStatus.succeeded, col(Job.finished_at) < cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def step(*, engine: Engine, stale_after: timedelta, periodic: bool = True) -> bool:
    """One turn of the loop: housekeeping, then at most one job. True if a job ran."""
    requeue_stale(engine=engine, stale_after=stale_after)
    if periodic:
        defer_periodic(engine=engine)
    claimed = claim_next(engine=engine)
    if claimed is None:
        return False
    run_claimed(claimed, engine=engine)
    return True


def run_until_idle(
    *, engine: Engine, stale_after: timedelta, limit: int = 1000, periodic: bool = True
) -> int:
    """Run due jobs until none is left (or ``limit``); the number run. For the CLI and tests."""
    ran = 0
    while ran < limit and step(engine=engine, stale_after=stale_after, periodic=periodic):
        ran += 1
    return ran
