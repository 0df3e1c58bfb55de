"""The PostgreSQL runner: our tasks as procrastinate tasks, deferred transactionally.

procrastinate (LISTEN/NOTIFY wake-ups, ``FOR UPDATE SKIP LOCKED`` fetching,
retries, periodic tasks, stalled-worker detection) owns the queue tables,
which migration 0008 creates from procrastinate's own schema file. Each of
our :class:`~app.jobs.registry.TaskSpec` becomes a procrastinate task whose
body is :func:`app.jobs.execution.run_attempt`, with the spec's backoff as a
retry strategy, so a task behaves the same here and on SQLite.

Deferring uses procrastinate's ``configure(connection=...)``: the INSERT runs
on the psycopg connection under the caller's SQLAlchemy session, inside its
transaction, and commits or rolls back with it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache
from typing import Any

import procrastinate
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.jobs.execution import run_attempt
from app.jobs.registry import TASKS, TaskSpec

logger = logging.getLogger("stepwise.jobs")


class Backoff(BaseRetryStrategy):
    """The spec's schedule: retry after 30 s, 60 s, 120 s … until ``max_attempts`` runs."""

    def __init__(self, spec: TaskSpec) -> None:
        self.spec = spec

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> RetryDecision | None:
        failed_runs = job.attempts + 1  # procrastinate counts the retries already made
        if failed_runs >= self.spec.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": int(self.spec.retry_wait_seconds(failed_runs))})


def libpq_url(database_url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy) as the plain URL psycopg expects."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _register(app: procrastinate.App, spec: TaskSpec) -> None:
    def body(context: procrastinate.JobContext, **kwargs: Any) -> None:
        kwargs.pop("timestamp", None)  # what procrastinate adds to periodic jobs
        final = context.job.attempts + 1 >= spec.max_attempts
        run_attempt(spec, kwargs, final=final)

    body.__name__ = spec.name.replace(".", "_")
    task: Any = app.task(name=spec.name, pass_context=True, retry=Backoff(spec))(body)
    if spec.cron:
        app.periodic(cron=spec.cron, periodic_id=spec.name)(task)


def _register_stalled_job_rescue(app: procrastinate.App) -> None:
    """Every minute, one worker re-queues the jobs of workers that died mid-job.

    procrastinate notices a dead worker by its missing heartbeat but leaves its
    jobs "doing"; this periodic task (run once per tick across all workers,
    like every periodic task) puts them back in the queue for another worker
    once its heartbeat (sent every 10 s) is ``STEPWISE_WORKER_STALLED_AFTER_SECONDS`` old.
    """
    stalled_after = get_settings().worker_stalled_after_seconds

    async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
        manager = context.app.job_manager
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
            logger.warning("re-queueing job %s (%s) of a dead worker", job.id, job.task_name)
            await manager.retry_job(job)

    task: Any = app.task(
        name="jobs.retry_stalled", pass_context=True, queueing_lock="jobs.retry_stalled"
    )(retry_stalled_jobs)
    app.periodic(cron="* * * * *", periodic_id="jobs.retry_stalled")(task)


@lru_cache
def get_app() -> procrastinate.App:
    """The process's procrastinate app with every task registered (opened by the worker)."""

    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(get_settings().database_url))
    )
    for spec in TASKS.values():
        _register(app, spec)
    _register_stalled_job_rescue(app)
    return app


@lru_cache
def _deferring_app() -> procrastinate.App:
    """An app that only defers, through the caller's (sync) connection, never its own.

    Inside a worker, :func:`get_app`'s connector is open *asynchronously*, and
    procrastinate then defers through it even when handed a sync psycopg
    connection (which fails: a task that enqueues a job, such as one that
    queues mail, would never succeed). This app's sync connector is never
    opened: with ``connection=`` it only runs the INSERT on that connection.
    """
    app = procrastinate.App(
        connector=procrastinate.SyncPsycopgConnector(
            conninfo=libpq_url(get_settings().database_url)
        )
    )
    for spec in TASKS.values():
        _register(app, spec)
    return app


def defer(
    *, session: Session, spec: TaskSpec, args: dict[str, Any], delay: timedelta | None
) -> None:
    """Insert the job on the session's own connection (same transaction)."""
    connection = session.connection().connection.driver_connection
    schedule_at = utcnow() + delay if delay else None
    _deferring_app().configure_task(
        spec.name, connection=connection, schedule_at=schedule_at
    ).defer(**args)


def run_worker(*, concurrency: int, wait: bool = True) -> None:
    """Run a worker until interrupted (``stepwise worker``); several share the queue."""
    get_app().run_worker(concurrency=concurrency, wait=wait, install_signal_handlers=True)
