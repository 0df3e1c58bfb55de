"""What admins see and do with jobs: list queued and failed ones, run one again.

One vocabulary on both databases (queued, running, succeeded, failed): on
SQLite it is the ``jobs`` table's, on PostgreSQL procrastinate's statuses are
mapped onto it (``todo`` → queued, ``doing`` → running, ``cancelled`` and
``aborted`` → failed). procrastinate keeps no error text, so ``last_error`` is
empty there; the worker's log has it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text, update
from sqlmodel import Session, col, func, select

from app.core.exceptions import Conflict, NotFound
from app.core.timeutils import as_utc, utcnow
from app.jobs.models import Job, JobStatus
from app.jobs.queue import dialect_of

STATUSES = tuple(s.value for s in JobStatus)
_FROM_PROCRASTINATE = {
    "todo": JobStatus.queued,
    "doing": JobStatus.running,
    "succeeded": JobStatus.succeeded,
    "failed": JobStatus.failed,
    "cancelled": JobStatus.failed,
    "aborted": JobStatus.failed,
}
_TO_PROCRASTINATE = {
    JobStatus.queued: ("todo",),
    JobStatus.running: ("doing",),
    JobStatus.succeeded: ("succeeded",),
    JobStatus.failed: ("failed", "cancelled", "aborted"),
}


@dataclass(frozen=True)
class JobView:
    id: int
    task: str
    status: str
    attempts: int
    run_at: datetime | None
    args: str
    last_error: str | None


def list_jobs(
    *,
    session: Session,
    statuses: tuple[str, ...] = ("queued", "running", "failed"),
    limit: int = 200,
) -> list[JobView]:
    """Jobs in the given statuses, newest first."""
    wanted = [JobStatus(s) for s in statuses]
    if dialect_of(session) == "postgresql":
        names = [name for s in wanted for name in _TO_PROCRASTINATE[s]]
        rows = session.execute(
            text(
                "SELECT id, task_name, status::text AS status, attempts, scheduled_at, "
                "args::text AS args FROM procrastinate_jobs WHERE status::text = ANY(:names) "
                "ORDER BY id DESC LIMIT :limit"
            ),
            {"names": names, "limit": limit},
        ).all()
        return [
            JobView(
                id=row.id,
                task=row.task_name,
                status=_FROM_PROCRASTINATE[row.status].value,
                attempts=row.attempts,
                run_at=as_utc(row.scheduled_at) if row.scheduled_at else None,
                args=row.args,
                last_error=None,
            )
            for row in rows
        ]
    jobs = session.exec(
        select(Job).where(col(Job.status).in_(wanted)).order_by(col(Job.id).desc()).limit(limit)
    ).all()
    return [_view(job) for job in jobs]


def _view(job: Job) -> JobView:
    assert job.id is not None
    return JobView(
        id=job.id,
        task=job.task,
        status=job.status,
        attempts=job.attempts,
        run_at=job.run_at,
        args=job.args,
        last_error=job.last_error,
    )


def count_by_status(*, session: Session) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    if dialect_of(session) == "postgresql":
        rows = session.execute(
            text("SELECT status::text AS status, count(*) AS n FROM procrastinate_jobs GROUP BY 1")
        ).all()
        for row in rows:
            counts[_FROM_PROCRASTINATE[row.status].value] += row.n
        return counts
    grouped = session.exec(select(Job.status, func.count()).group_by(col(Job.status))).all()
    for status, n in grouped:
        counts[status] += n
    return counts


def retry_job(*, session: Session, job_id: int) -> None:
    """Queue a failed job again, due now (404 unknown, 409 not failed)."""
    if dialect_of(session) == "postgresql":
        row = session.execute(
            text("SELECT status::text AS status FROM procrastinate_jobs WHERE id = :id"),
            {"id": job_id},
        ).first()
        if row is None:
            raise NotFound("No such job")
        if _FROM_PROCRASTINATE[row.status] != JobStatus.failed:
            raise Conflict("Only a failed job can be retried")
        session.execute(
            text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"),
            {"id": job_id},
        )
        return
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("No such job")
    if job.status != JobStatus.failed:
        raise Conflict("Only a failed job can be retried")
    # One more run: the attempts already spent stay counted, the limit moves up by one.
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == JobStatus.failed)
        .values(
            status=JobStatus.queued,
            run_at=utcnow(),
            max_attempts=Job.attempts + 1,
            finished_at=None,
        )
    )
    session.flush()


def short_args(args: str, *, limit: int = 80) -> str:
    """Arguments for a listing: compact JSON, cut to ``limit`` characters."""
    try:
        compact = json.dumps(json.loads(args), separators=(",", ":"), sort_keys=True)
    except ValueError:
        compact = args
    return compact if len(compact) <= limit else compact[: limit - 1] + "…"
