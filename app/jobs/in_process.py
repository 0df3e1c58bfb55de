"""The SQLite runner inside the server: a background loop in the app's lifespan.

``make run`` needs no second process. Each uvicorn worker process runs one
loop; they share the ``jobs`` table, so several of them (``stepwise serve
--workers N``) split the jobs and still run each once. The loop runs one job
at a time in a thread, so a slow job (an SMTP timeout) never blocks requests.
At shutdown the job in hand finishes; queued ones wait for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import anyio
from sqlalchemy import Engine

from app.core.config import Settings
from app.jobs import runner

logger = logging.getLogger("stepwise.jobs")


async def run_loop(*, engine: Engine, poll_seconds: float, stale_after: timedelta) -> None:
    """Run jobs until cancelled; sleep ``poll_seconds`` whenever nothing is due."""
    while True:
        try:
            ran = await anyio.to_thread.run_sync(
                lambda: runner.step(engine=engine, stale_after=stale_after)
            )
        except Exception:  # the database is away for a moment: log, wait, go on
            logger.exception("job runner step failed")
            ran = False
        if not ran:
            await asyncio.sleep(poll_seconds)


def runs_in_process(settings: Settings) -> bool:
    return settings.is_sqlite and settings.jobs_in_process and settings.environment != "test"


@contextlib.asynccontextmanager
async def in_process_jobs(settings: Settings, engine: Engine | None = None) -> AsyncIterator[None]:
    """Run the loop for the lifespan of the app, when the settings ask for it."""
    if not runs_in_process(settings):
        yield
        return
    from app.core.db import get_engine

    loop = asyncio.create_task(
        run_loop(
            engine=engine or get_engine(),
            poll_seconds=settings.jobs_poll_seconds,
            stale_after=timedelta(seconds=settings.jobs_stale_after_seconds),
        ),
        name="stepwise-jobs",
    )
    try:
        yield
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
