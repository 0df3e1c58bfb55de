"""Rendering PDFs off the event loop, in a small pool of worker processes.

WeasyPrint is CPU-bound and takes seconds for a full report, so it must not
run on the event loop (every other request would wait) nor in the default
thread pool (the GIL would serialise it with the app anyway). Each uvicorn
worker process owns one small :class:`~concurrent.futures.ProcessPoolExecutor`:

* ``report_workers`` processes, started with **spawn** (a fork of a process
  that runs an event loop and database connections is unsafe), created lazily
  on the first render and shut down by the app's lifespan;
* each worker is **recycled** after ``report_max_renders_per_worker``
  renders (``max_tasks_per_child``), so memory a render leaks (fonts, caches
  inside Pango/fontconfig) is returned to the system;
* each render gets ``report_timeout_seconds``. On timeout the pool's workers
  are terminated and the pool is rebuilt: a hostile or pathological document
  cannot keep a CPU busy after its request gave up. The caller gets
  :class:`ReportTimeout` (503 with ``Retry-After``).

The pool is a handle on OS processes, not application state: nothing about a
user or a report lives in it, and every worker process computes the same
bytes from the same HTML.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from app.core.exceptions import StepwiseError
from app.reports.render import release_memory, render_pdf


class ReportUnavailable(StepwiseError):
    """The renderer could not produce the PDF now; trying again later may work."""

    status_code = 503

    def __init__(self, detail: str, *, retry_after: int = 30):
        super().__init__(detail, retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


class ReportTimeout(ReportUnavailable):
    """The render exceeded its time limit and was stopped."""


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    pdf: bytes
    #: The worker process that rendered it (lets tests and logs see recycling).
    worker_pid: int
    seconds: float


def _render_task(html: str, base_url: str | None) -> RenderOutcome:
    """Runs inside a worker process."""
    start = time.perf_counter()
    pdf = render_pdf(html, base_url=base_url)
    seconds = time.perf_counter() - start
    release_memory()
    return RenderOutcome(pdf, os.getpid(), seconds)


class RenderPool:
    """A lazily started process pool with a time limit per render."""

    def __init__(self, *, workers: int, timeout: float, max_renders_per_worker: int) -> None:
        self.workers = workers
        self.timeout = timeout
        self.max_renders_per_worker = max_renders_per_worker
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    max_tasks_per_child=self.max_renders_per_worker,
                )
            return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        """Terminate ``executor``'s workers and forget it; the next render starts a new pool.

        ``ProcessPoolExecutor`` has no public way to stop a running task, so
        the worker processes are terminated directly, then reaped.
        """
        with self._lock:
            if self._executor is executor:
                self._executor = None
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)

    def _submit(
        self, html: str, base_url: str | None
    ) -> tuple[ProcessPoolExecutor, Future[RenderOutcome]]:
        executor = self._current()
        try:
            return executor, executor.submit(_render_task, html, base_url)
        except BrokenProcessPool:  # broken by someone else's timeout or a crashed worker
            self._discard(executor)
            executor = self._current()
            return executor, executor.submit(_render_task, html, base_url)

    def render(self, html: str, *, base_url: str | None = None) -> RenderOutcome:
        """Render in the pool and wait (for the CLI and scripts)."""
        for attempt in (1, 2):
            executor, future = self._submit(html, base_url)
            try:
                return future.result(timeout=self.timeout)
            except FutureTimeout:
                self._discard(executor)
                raise self._timeout_error() from None
            except BrokenProcessPool:
                self._discard(executor)
                if attempt == 2:
                    raise ReportUnavailable("The report renderer stopped unexpectedly") from None
        raise AssertionError("unreachable")

    async def render_async(self, html: str, *, base_url: str | None = None) -> RenderOutcome:
        """Render in the pool without blocking the event loop."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            executor = self._current()
            try:
                task = loop.run_in_executor(executor, _render_task, html, base_url)
                return await asyncio.wait_for(task, timeout=self.timeout)
            except TimeoutError:
                await asyncio.to_thread(self._discard, executor)  # joins processes: not on the loop
                raise self._timeout_error() from None
            except BrokenProcessPool:
                await asyncio.to_thread(self._discard, executor)
                if attempt == 2:
                    raise ReportUnavailable("The report renderer stopped unexpectedly") from None
        raise AssertionError("unreachable")

    def _timeout_error(self) -> ReportTimeout:
        return ReportTimeout(
            f"The report took longer than {self.timeout:g} seconds to render and was stopped; "
            "please try again in a minute"
        )

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


_pool: RenderPool | None = None
_pool_lock = threading.Lock()


def get_pool() -> RenderPool:
    """This process's render pool, configured from the settings on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from app.core.config import get_settings

            settings = get_settings()
            _pool = RenderPool(
                workers=settings.report_workers,
                timeout=settings.report_timeout_seconds,
                max_renders_per_worker=settings.report_max_renders_per_worker,
            )
        return _pool


def shutdown_pool() -> None:
    """Stop this process's workers (the app's lifespan calls this on shutdown)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown()


async def render_pdf_async(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF in the shared pool, with its time limit."""
    return (await get_pool().render_async(html, base_url=base_url)).pdf


def render_pdf_in_pool(html: str, *, base_url: str | None = None) -> bytes:
    """The synchronous twin of :func:`render_pdf_async` (for the CLI)."""
    return get_pool().render(html, base_url=base_url).pdf
