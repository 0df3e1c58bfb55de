"""Periodic clean-up of the forgot-password throttle records."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.password_reset import prune_reset_requests
from app.jobs.registry import task


@task("accounts.prune_reset_requests", cron="41 * * * *", max_attempts=3)
def prune_old_reset_requests(*, session: Session) -> None:
    prune_reset_requests(session=session)
