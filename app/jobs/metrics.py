"""The job queue's depth on ``/metrics``: jobs per status, read when scraped.

A count is a state, not an event, so it is not kept by any process: each
scrape asks the database (one grouped query, in a read-only unit of work),
and every server process answers the same. Attempts per task and outcome are
counted where they run (``app.jobs.execution``).
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily

from app.core.db import end_session, open_session
from app.core.metrics import register_collector
from app.jobs.service import count_by_status


@register_collector
def queue_depth() -> Iterable[GaugeMetricFamily]:
    gauge = GaugeMetricFamily(
        "stepwise_jobs",
        "Jobs in the queue, by status (queued, running, failed …).",
        labels=["status"],
    )
    session = open_session(read_only=True)
    try:
        counts = count_by_status(session=session)
    finally:
        end_session(session, succeeded=True)
    for status, n in sorted(counts.items()):
        gauge.add_metric([status], n)
    yield gauge
