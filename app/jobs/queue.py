"""Enqueueing: a job is written in the caller's transaction, never beside it.

``enqueue`` adds the job through the caller's session, so it commits with the
change that causes it and disappears with it when the request rolls back: a
failed request sends no mail. On SQLite the job is a row of ``jobs``; on
PostgreSQL it is deferred into procrastinate's table *on the session's own
connection* (procrastinate's ``configure(connection=...)``), so there is no
second connection, no outbox to drain and no window between commit and
enqueue.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core.timeutils import utcnow
from app.jobs.models import Job
from app.jobs.registry import get_task


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def enqueue(
    *,
    session: Session,
    task: str,
    args: dict[str, Any] | None = None,
    delay: timedelta | None = None,
) -> None:
    """Queue ``task(**args)`` to run after the caller's transaction commits.

    ``args`` must be JSON (ids and short strings, not rows: the row may have
    changed by the time the job runs). An unknown task name is a programming
    error and raises ``KeyError`` here rather than in a worker later.
    """
    spec = get_task(task)
    payload = dict(args or {})
    encoded = json.dumps(payload, sort_keys=True)
    if dialect_of(session) == "postgresql":
        from app.jobs import procrastinate_backend

        procrastinate_backend.defer(session=session, spec=spec, args=payload, delay=delay)
        return
    session.add(
        Job(
            task=spec.name,
            args=encoded,
            max_attempts=spec.max_attempts,
            run_at=utcnow() + (delay or timedelta(0)),
        )
    )
    session.flush()
