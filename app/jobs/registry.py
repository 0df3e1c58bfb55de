"""The tasks: plain functions, registered by name, that either runner can run.

A task is ``def fn(*, session, **args) -> None``: it gets a unit of work of
its own (committed when it returns, rolled back when it raises) and its JSON
arguments. Raising means "try again later": the job is re-run with
exponential backoff until ``max_attempts`` runs have failed. Work that must
not be retried (a permanent mail rejection) is recorded by the task, which
then returns normally.

``on_failure`` runs after each failed attempt in a unit of work of its own
(the task's was rolled back), so a task can record why it failed and whether
it will be tried again (``final``).

Tasks are registered by importing their modules; :mod:`app.tasks` imports
them all, as :mod:`app.models` does for tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session

#: ``def fn(*, session: Session, **json_args) -> None`` (keyword arguments vary per task).
TaskFunction = Callable[..., None]


class FailureHook(Protocol):
    def __call__(
        self, *, session: Session, args: dict[str, Any], error: str, final: bool
    ) -> None: ...


@dataclass(frozen=True)
class TaskSpec:
    name: str
    fn: TaskFunction
    #: Runs in all, the first included (1 = never retried).
    max_attempts: int = 5
    #: Wait before the n-th retry: ``retry_base_seconds * 2 ** (n - 1)``, capped.
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 6 * 3600.0
    on_failure: FailureHook | None = None
    #: A cron expression (five fields, UTC) for periodic tasks, which take no arguments.
    cron: str | None = None

    def retry_wait_seconds(self, failed_runs: int) -> float:
        """Seconds to wait after ``failed_runs`` failures (1, 2, ...): 30 s, 60 s, 120 s ..."""
        return min(self.retry_max_seconds, self.retry_base_seconds * 2 ** (failed_runs - 1))


TASKS: dict[str, TaskSpec] = {}


def task(
    name: str,
    *,
    max_attempts: int = 5,
    retry_base_seconds: float = 30.0,
    on_failure: FailureHook | None = None,
    cron: str | None = None,
) -> Callable[[TaskFunction], TaskFunction]:
    """Register ``fn`` under ``name`` (stable: it is stored in queued jobs)."""

    def register(fn: TaskFunction) -> TaskFunction:
        if name in TASKS and TASKS[name].fn is not fn:
            raise ValueError(f"task {name!r} is registered twice")
        TASKS[name] = TaskSpec(
            name=name,
            fn=fn,
            max_attempts=max_attempts,
            retry_base_seconds=retry_base_seconds,
            on_failure=on_failure,
            cron=cron,
        )
        return fn

    return register


def get_task(name: str) -> TaskSpec:
    """The registered task; KeyError for a name no module registered.

    Every task is registered by importing :mod:`app.tasks`, which the
    composition roots (``app.main``, ``app.cli``) do at start-up.
    """
    return TASKS[name]


def periodic_tasks() -> list[TaskSpec]:
    return [spec for spec in TASKS.values() if spec.cron]
