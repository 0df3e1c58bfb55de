"""The periodic cycle job: open, remind, close, hourly (at minute 3).

Hourly, like the plan reminders: a cycle opens (and its mails leave) within
the hour after its ``opens_at``, and closes within the hour after its
``closes_at`` (an admin may open or close one at once from its page); a worker
down at one tick only delays the work by one tick. Late submissions are
refused from the assessment's own ``closes_at``, not from the tick.

Safe when two workers run it at once: every status change and every
reminder is claimed with a conditional ``UPDATE``
(:mod:`app.programmes.cycles`).
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from app.core.timeutils import utcnow
from app.jobs.registry import task
from app.programmes.cycles import run_due_cycles

logger = logging.getLogger("stepwise.programmes")

CYCLES_TASK = "programmes.run_cycles"


@task(CYCLES_TASK, cron="3 * * * *", max_attempts=3)
def run_cycles(*, session: Session) -> None:
    work = run_due_cycles(session=session, now=utcnow())
    logger.info(
        "cycles: opened %s, reminders queued %s, closed %s",
        work.opened,
        work.reminded,
        work.closed,
    )
