"""Pre-rendering: a participant's report is in the cache before they ask for it.

A report renders in one to three seconds, and the first download of a new
report used to wait for it. Two events change what a participant's report
shows, and each queues a ``reports.prerender`` job in the changing
transaction (so a rolled-back request queues nothing):

* ``assessment.submitted``: the assessment has a report now;
* ``review.finalized``: the coach's shared review and the plan join it, so
  its inputs, and with them its cache key, change; the new render replaces
  the older one in the cache (:func:`app.reports.cache.store_pdf`).

The job renders the report the owner's first download asks for (the default
paper, the inputs as they are when the job runs) through the same pipeline as
a download, and stores it under the same key: the download then is a cache
hit. Until the job has run, a download renders on demand as before.

The job honours the single-flight lease: when a download (or another job) is
already rendering that report, the job leaves it to them. It holds no
transaction during the render: it reads the inputs, commits, and then works
in short units of work of its own (:func:`app.reports.delivery.render_once`).
A render that fails raises, so the job is retried with backoff.

On SQLite the server's in-process runner runs the job (with the server's
render pool); on PostgreSQL a ``stepwise worker`` does (with a pool of its own).
"""

from __future__ import annotations

import logging
import os
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from app.core import events
from app.core.db import unit_of_work
from app.jobs.queue import enqueue
from app.jobs.registry import task
from app.reports.delivery import render_once
from app.reports.service import prepare_owner_report

logger = logging.getLogger("stepwise.reports")

PRERENDER_TASK = "reports.prerender"


@events.subscribe(events.ASSESSMENT_SUBMITTED, events.REVIEW_FINALIZED)
def queue_prerender(*, session: Session, event: events.Event) -> None:
    """Queue the render of the assessment's report with the change that alters it."""
    enqueue(
        session=session, task=PRERENDER_TASK, args={"assessment_id": event.data["assessment_id"]}
    )


@task(PRERENDER_TASK, max_attempts=4, retry_base_seconds=30)
def prerender_report(*, session: Session, assessment_id: int) -> None:
    """Render the owner's report into the cache, unless it is there or being rendered."""
    found = prepare_owner_report(session=session, assessment_id=assessment_id)
    if found is None:
        return  # deleted or reopened since it was queued: nothing to render
    prepared, owner_id = found
    bind = session.get_bind()
    # The inputs are read: end the job's transaction before the render, as a
    # download does, so no connection (nor SQLite's write lock) is held for seconds.
    session.commit()
    engine = bind if isinstance(bind, Engine) else bind.engine
    stored = render_once(
        new_unit=partial(unit_of_work, engine), prepared=prepared, user_id=owner_id
    )
    logger.info(
        "report %s of assessment %s: %s (process %s)",
        prepared.key[:12],
        assessment_id,
        "cached" if stored is not None else "being rendered elsewhere",
        os.getpid(),
    )
