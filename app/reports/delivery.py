"""A report's PDF for the caller: cached, or rendered once, without holding the database.

A render takes seconds. Holding the request's transaction across it would
hold a pooled connection and, on SQLite, the database's write lock, so every
other request would wait for somebody's report. So an uncached report is
delivered in three steps:

1. the report's inputs are read and its cache key computed in the request's
   transaction (:mod:`app.reports.service`), which is then **committed and
   its connection returned** (:func:`app.core.deps.end_transaction`);
2. a **render lease** (:mod:`app.reports.leases`) decides who renders: the
   first caller renders, concurrent callers for the same report wait for the
   cache, and a user with too many renders in flight gets 429;
3. the PDF is **stored in the cache and the lease released** in one short
   transaction of its own, committed at once so that the waiters see it.

Leases and the stored PDF are coordination and derived data, committed in
their own short units of work (:func:`app.core.db.unit_of_work`); the
request's own unit of work is still committed by the session dependency.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.core.config import get_settings
from app.core.db import UnitOfWorkFactory
from app.core.deps import end_transaction
from app.reports.cache import load_cached, store_pdf
from app.reports.document import Paper, render_report_html
from app.reports.fetcher import assets_base_url
from app.reports.leases import acquire_lease, lease_held, release_lease
from app.reports.model import ReportData
from app.reports.pool import RendererBusy, render_pdf_async, render_pdf_in_pool
from app.reports.render import ASSETS_DIR

#: How often a caller waiting for someone else's render of the same report looks again.
POLL_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class PreparedReport:
    data: ReportData
    key: str
    assessment_id: int
    paper: Paper

    @property
    def filename(self) -> str:
        return f"stepwise-report-{self.assessment_id}-{self.data.assessed_on.isoformat()}.pdf"

    def html(self) -> str:
        return render_report_html(
            self.data, paper=self.paper, asset_base=assets_base_url(ASSETS_DIR)
        )


@dataclass(frozen=True, slots=True)
class ReportPdf:
    """A PDF to send, or (``pdf is None``) "not modified" for a matching ``If-None-Match``."""

    key: str
    filename: str
    pdf: bytes | None
    from_cache: bool = False

    @property
    def etag(self) -> str:
        return f'"{self.key}"'


def cached_pdf(session: Session, prepared: PreparedReport) -> ReportPdf | None:
    pdf = load_cached(session=session, key=prepared.key, directory=get_settings().report_cache_dir)
    if pdf is None:
        return None
    return ReportPdf(prepared.key, prepared.filename, pdf, from_cache=True)


def _store(session: Session, prepared: PreparedReport, pdf: bytes) -> ReportPdf:
    store_pdf(
        session=session,
        key=prepared.key,
        assessment_id=prepared.assessment_id,
        paper=prepared.paper,
        pdf=pdf,
        directory=get_settings().report_cache_dir,
    )
    return ReportPdf(prepared.key, prepared.filename, pdf)


# -- the short units of work of steps 2 and 3 (each runs in a worker thread) -------------


def _take_lease(new_unit: UnitOfWorkFactory, key: str, user_id: int) -> bool:
    settings = get_settings()
    ttl = settings.report_timeout_seconds + settings.report_queue_timeout_seconds + 30
    with new_unit() as session:
        return acquire_lease(
            session=session,
            key=key,
            user_id=user_id,
            ttl_seconds=ttl,
            per_user=settings.report_renders_per_user,
        )


def _look(new_unit: UnitOfWorkFactory, prepared: PreparedReport) -> ReportPdf | bool:
    """The PDF if someone stored it; else whether someone is still rendering it."""
    with new_unit() as session:
        return cached_pdf(session, prepared) or lease_held(session=session, key=prepared.key)


def _store_and_release(
    new_unit: UnitOfWorkFactory, prepared: PreparedReport, pdf: bytes
) -> ReportPdf:
    with new_unit() as session:
        stored = _store(session, prepared, pdf)
        release_lease(session=session, key=prepared.key)
        return stored


def _release(new_unit: UnitOfWorkFactory, key: str) -> None:
    with new_unit() as session:
        release_lease(session=session, key=key)


async def deliver_pdf(
    *, session: Session, new_unit: UnitOfWorkFactory, prepared: PreparedReport, user_id: int
) -> ReportPdf:
    """The report's PDF, from the cache or rendered once (see the module docstring).

    ``session`` is the request's; its transaction is committed here before any
    wait. ``new_unit`` opens the short units of work of steps 2 and 3.
    """
    cached = await run_in_threadpool(cached_pdf, session, prepared)
    if cached is not None:
        return cached
    html = prepared.html()
    await end_transaction(session)
    settings = get_settings()
    deadline = (
        time.monotonic() + settings.report_timeout_seconds + settings.report_queue_timeout_seconds
    )
    while True:
        if await run_in_threadpool(_take_lease, new_unit, prepared.key, user_id):
            try:
                pdf = await render_pdf_async(html)
            except BaseException:
                await asyncio.shield(run_in_threadpool(_release, new_unit, prepared.key))
                raise
            return await asyncio.shield(
                run_in_threadpool(_store_and_release, new_unit, prepared, pdf)
            )
        # Someone else is rendering this very report: wait for their PDF.
        while True:
            found = await run_in_threadpool(_look, new_unit, prepared)
            if isinstance(found, ReportPdf):
                return found
            if not found:
                break  # their render failed or its lease expired: try to take it over
            if time.monotonic() > deadline:
                raise RendererBusy("The report is still being rendered; please try again shortly")
            await asyncio.sleep(POLL_SECONDS)


def render_once(
    *, new_unit: UnitOfWorkFactory, prepared: PreparedReport, user_id: int
) -> ReportPdf | None:
    """For a background job: cache ``prepared`` unless it is cached or being rendered now.

    Blocking (a job runs in a thread of its own) and holding no transaction
    across the render: the cache check, the lease and the store are each a
    short unit of work of ``new_unit``, as in :func:`deliver_pdf`. ``None``
    when another process holds the lease: its render will store the same PDF,
    so rendering it twice would only spend a worker. A user who already has
    ``report_renders_per_user`` renders in flight gets
    :class:`~app.core.exceptions.TooManyRequests`, and the job tries again later.
    """
    with new_unit() as session:
        cached = cached_pdf(session, prepared)
    if cached is not None:
        return cached
    if not _take_lease(new_unit, prepared.key, user_id):
        return None
    try:
        pdf = render_pdf_in_pool(prepared.html())
    except BaseException:
        _release(new_unit, prepared.key)
        raise
    return _store_and_release(new_unit, prepared, pdf)


def deliver_pdf_now(*, session: Session, prepared: PreparedReport) -> ReportPdf:
    """For the CLI: from the cache or rendered here and stored in ``session``'s unit of work."""
    cached = cached_pdf(session, prepared)
    if cached is not None:
        return cached
    return _store(session, prepared, render_pdf_in_pool(prepared.html()))
