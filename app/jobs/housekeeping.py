"""The queue's own periodic task: forget succeeded jobs after a week.

Failed jobs stay until an admin retries them; succeeded ones are history
nobody reads. Periodic, so it also shows that a cron task runs once across
however many workers or server processes there are.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import Session

from app.jobs.queue import dialect_of
from app.jobs.registry import task
from app.jobs.runner import prune_finished

KEEP_SUCCEEDED = timedelta(days=7)


@task("jobs.prune", cron="17 3 * * *", max_attempts=3)
def prune_succeeded_jobs(*, session: Session) -> None:
    if dialect_of(session) == "postgresql":
        session.execute(
            text(
                "DELETE FROM procrastinate_jobs WHERE status = 'succeeded' AND id IN ("
                " SELECT job_id FROM procrastinate_events"
                " WHERE type = 'succeeded' AND at < now() - make_interval(days => :days))"
            ),
            {"days": KEEP_SUCCEEDED.days},
        )
        return
    prune_finished(session=session, older_than=KEEP_SUCCEEDED)
