"""One attempt of one job, the same for both runners.

The task gets a unit of work of its own: committed when it returns, rolled
back when it raises. After a failure the task's ``on_failure`` hook runs in a
second unit of work (the first one is gone), then the error propagates so the
runner schedules the retry or marks the job failed.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine

from app.core.db import end_session, open_session
from app.core.metrics import JOB_RUNS
from app.jobs.registry import TaskSpec

logger = logging.getLogger("stepwise.jobs")


def describe_error(exc: BaseException) -> str:
    """A short, single-line reason (the class and message, never a traceback)."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text[:500]


def run_attempt(
    spec: TaskSpec, args: dict[str, Any], *, final: bool, engine: Engine | None = None
) -> None:
    """Run the task once; ``final`` says whether a failure would be the last."""
    session = open_session(engine)
    succeeded = False
    try:
        spec.fn(session=session, **args)
        succeeded = True
    except Exception as exc:
        end_session(session, succeeded=False)
        JOB_RUNS.labels(task=spec.name, outcome="failed").inc()
        error = describe_error(exc)
        logger.warning(
            "job %s failed (%s): %s", spec.name, "giving up" if final else "will retry", error
        )
        if spec.on_failure is not None:
            hook_session = open_session(engine)
            hook_ok = False
            try:
                spec.on_failure(session=hook_session, args=args, error=error, final=final)
                hook_ok = True
            finally:
                end_session(hook_session, succeeded=hook_ok)
        raise
    finally:
        if succeeded:
            end_session(session, succeeded=True)
            JOB_RUNS.labels(task=spec.name, outcome="succeeded").inc()
