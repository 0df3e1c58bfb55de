"""The durable queue of the SQLite runner.

On PostgreSQL jobs live in procrastinate's own tables (``procrastinate_jobs``,
created by migration 0008); this table stays empty there. On SQLite a job is
one row here, inserted in the same transaction as the change that causes it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field

from app.core.columns import IdRow, optional_timestamp, text_column, timestamp_now


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class Job(IdRow, table=True):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_at", "status", "run_at"),)

    task: str = Field(max_length=100)
    #: The task's keyword arguments, as JSON.
    args: str = text_column()
    status: str = Field(default=JobStatus.queued, max_length=16)
    attempts: int = 0
    max_attempts: int = 1
    #: Not before this time (retries are scheduled by pushing it back).
    run_at: datetime = timestamp_now()
    #: When the running attempt was claimed (stale claims are re-run).
    locked_at: datetime | None = optional_timestamp()
    last_error: str | None = Field(default=None, max_length=500)
    #: Jobs with the same key are enqueued once (periodic ticks: ``periodic:<task>:<tick>``).
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = timestamp_now()
    finished_at: datetime | None = optional_timestamp()


def is_procrastinate_table(name: str | None) -> bool:
    """procrastinate's own tables (PostgreSQL): created by migration 0008, not by our models."""
    return bool(name and name.startswith("procrastinate_"))
