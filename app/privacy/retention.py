"""Retention: assessments not changed for ``STEPWISE_RETENTION_MONTHS`` months are deleted.

Daily (03:29 UTC). With everything hanging off them (answers, results,
reviews, plans, feedback, cached reports and share links), through the same
functions as an erasure. Off by default (0: keep). Idempotent: a second run
finds nothing older than the cut-off, and two workers running it at once
delete the same rows (the second deletes none).
"""

from __future__ import annotations

import calendar
import logging
from datetime import datetime

from sqlmodel import Session

from app.assessments import service as assessments
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.jobs.registry import task
from app.reports import service as reports

logger = logging.getLogger("stepwise.privacy")

RETENTION_TASK = "privacy.retention"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def apply_retention(*, session: Session, now: datetime, months: int) -> int:
    """Delete assessments last changed before ``now`` minus ``months``; how many went."""
    if months <= 0:
        return 0
    cutoff = months_before(now, months)
    ids = assessments.assessment_ids_untouched_since(session=session, cutoff=cutoff)
    reports.forget_cached_reports(session=session, assessment_ids=ids)
    return assessments.delete_assessments(session=session, assessment_ids=ids)


@task(RETENTION_TASK, cron="29 3 * * *", max_attempts=3)
def run_retention(*, session: Session) -> None:
    months = get_settings().retention_months
    deleted = apply_retention(session=session, now=utcnow(), months=months)
    if months:
        logger.info("retention (%s months): %s assessments deleted", months, deleted)
