"""``stepwise worker`` and ``stepwise jobs list|retry|run``.

``worker`` runs the queue of the configured database: procrastinate on
PostgreSQL (start as many as you like, on as many machines), the SQLite
runner otherwise (for a server started with ``STEPWISE_JOBS_IN_PROCESS=false``).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Annotated

import typer

from app.core.config import get_settings
from app.core.db import get_engine, session_scope
from app.jobs import service

jobs_app = typer.Typer(help="Background jobs: list, retry, run.", no_args_is_help=True)


def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Jobs at once (default: STEPWISE_WORKER_CONCURRENCY)")
    ] = None,
) -> None:
    """Run background jobs until interrupted (Ctrl-C or SIGTERM finishes the jobs in hand)."""
    settings = get_settings()
    from app.core.logs import configure_logging

    configure_logging(log_format=get_settings().log_format)
    if settings.is_sqlite:
        from app.jobs.in_process import run_loop

        typer.echo("stepwise worker: SQLite queue")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                run_loop(
                    engine=get_engine(),
                    poll_seconds=settings.jobs_poll_seconds,
                    stale_after=timedelta(seconds=settings.jobs_stale_after_seconds),
                )
            )
        return
    from app.jobs import procrastinate_backend

    typer.echo("stepwise worker: PostgreSQL queue (procrastinate)")
    procrastinate_backend.run_worker(concurrency=concurrency or settings.worker_concurrency)


@jobs_app.command("list")
def list_command(
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="queued, running, succeeded or failed; repeatable."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
) -> None:
    """Jobs, newest first (default: queued, running and failed)."""
    wanted = tuple(status or ("queued", "running", "failed"))
    unknown = [s for s in wanted if s not in service.STATUSES]
    if unknown:
        raise typer.BadParameter(
            f"unknown status {unknown[0]!r}; use one of {', '.join(service.STATUSES)}",
            param_hint="--status",
        )
    for session in session_scope():
        jobs = service.list_jobs(session=session, statuses=wanted, limit=limit)
        if not jobs:
            typer.echo("no jobs")
        for job in jobs:
            when = job.run_at.strftime("%Y-%m-%d %H:%M:%S") if job.run_at else "-"
            line = (
                f"{job.id}\t{job.status}\t{job.task}\tattempts={job.attempts}\t{when}\t"
                f"{service.short_args(job.args)}"
            )
            if job.last_error:
                line += f"\t{job.last_error}"
            typer.echo(line)


@jobs_app.command("retry")
def retry_command(job_id: Annotated[int, typer.Argument(min=1)]) -> None:
    """Queue a failed job again, due now."""
    for session in session_scope():
        service.retry_job(session=session, job_id=job_id)
    typer.echo(f"job {job_id} queued again")


@jobs_app.command("run")
def run_command() -> None:
    """SQLite: run every due job now and exit (PostgreSQL: use ``stepwise worker``)."""
    settings = get_settings()
    if not settings.is_sqlite:
        raise typer.BadParameter("on PostgreSQL jobs are run by `stepwise worker`")
    from app.jobs.runner import run_until_idle

    ran = run_until_idle(
        engine=get_engine(), stale_after=timedelta(seconds=settings.jobs_stale_after_seconds)
    )
    typer.echo(f"ran {ran} job{'s' if ran != 1 else ''}")
