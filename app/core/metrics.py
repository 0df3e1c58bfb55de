"""Prometheus metrics: request latency per route, report renders, the job queue.

Several processes serve one deployment (uvicorn workers, job workers), so a
scrape must see all of them, not whichever process answered. The metrics use
prometheus-client's *multiprocess mode*: each process writes its samples to
memory-mapped files in a shared directory (``STEPWISE_METRICS_DIR``, default
``<var>/metrics``) and ``/metrics`` sums the files. The mode is chosen when
the first metric is made, from ``PROMETHEUS_MULTIPROC_DIR``, so this module
sets that variable before it creates any; ``stepwise serve`` empties the
directory before its workers start (files of a previous run would count).

Figures that are a state rather than a count (how many jobs wait) are read
when scraped, by collectors that domains register here
(:func:`register_collector`): the core knows no domain.

``/metrics`` is not public: it answers only with ``Authorization: Bearer
<STEPWISE_METRICS_TOKEN>``, and is absent (404) when no token is set.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.types import Message, Receive, Scope, Send

from app.core.asgi import HttpMiddleware
from app.core.config import Settings, get_settings


def metrics_dir(settings: Settings) -> Path:
    return settings.metrics_dir or settings.var_dir / "metrics"


def _choose_multiprocess_mode() -> None:
    # The Stepwise setting wins over an inherited variable, so a child process
    # with its own STEPWISE_VAR_DIR (a test's live server) keeps its own files.
    directory = metrics_dir(get_settings())
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


_choose_multiprocess_mode()

from prometheus_client import (  # noqa: E402 - after the mode is chosen (see above)
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

# Another import may have loaded prometheus_client before the variable was set.
values.ValueClass = values.get_value_class()

logger = logging.getLogger("stepwise.metrics")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "stepwise_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and status class.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
RENDER_SECONDS = Histogram(
    "stepwise_report_render_duration_seconds",
    "Time a report render took in its worker, by outcome (ok, failed, timeout, lost).",
    ["outcome"],
    buckets=(0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 60.0),
)
JOB_RUNS = Counter(
    "stepwise_job_runs",
    "Job attempts run, by task and outcome (succeeded, failed).",
    ["task", "outcome"],
)

#: Reads a state at scrape time (in a worker thread: it may query the database).
GaugeReader = Callable[[], Iterable[GaugeMetricFamily]]
_COLLECTORS: list[GaugeReader] = []


def register_collector(reader: GaugeReader) -> GaugeReader:
    """Add gauges computed when ``/metrics`` is scraped (e.g. the job queue's depth)."""
    if reader not in _COLLECTORS:
        _COLLECTORS.append(reader)
    return reader


class _Readers(Collector):
    def collect(self) -> Iterable[GaugeMetricFamily]:
        for reader in _COLLECTORS:
            # A database that is away must not take the request figures down with it:
            # the reader's gauges are left out of this scrape and the failure is logged.
            try:
                families = list(reader())
            except Exception:
                logger.exception("metrics reader %s failed", getattr(reader, "__name__", reader))
                continue
            yield from families


def exposition() -> bytes:
    """Every process's samples, summed, and the scrape-time gauges, in the text format."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_Readers())
    return generate_latest(registry)


def reset_metrics_dir(settings: Settings) -> None:
    """Empty the directory before a server's processes start (their files would add up)."""
    directory = metrics_dir(settings)
    if directory.is_dir():
        for entry in directory.iterdir():
            if entry.suffix == ".db":
                entry.unlink(missing_ok=True)
            elif entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


class MetricsMiddleware(HttpMiddleware):
    """Times every HTTP request and files it under its route *template*.

    ``/api/v1/assessments/{assessment_id}``, not the id: one series per route,
    whatever the traffic. A path no route matched counts as ``unmatched``
    (scanners must not create series). Pure ASGI, a few microseconds a request.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None)
            REQUEST_SECONDS.labels(
                route=template or "unmatched",
                method=scope["method"],
                status=_status_class(status),
            ).observe(time.perf_counter() - started)


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """The Prometheus exposition, for a scraper holding the metrics token."""
    token = get_settings().metrics_token
    if not token:
        return Response(status_code=404)
    given = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return Response(await run_in_threadpool(exposition), media_type=CONTENT_TYPE_LATEST)
