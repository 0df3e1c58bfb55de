"""Rendering PDFs off the event loop, in a small pool of worker processes.

WeasyPrint is CPU-bound and takes seconds for a full report, so it must not
run on the event loop (every other request would wait) nor in the default
thread pool (the GIL would serialise it with the app anyway). Each server
process owns one small :class:`RenderPool` of worker processes:

* at most ``report_workers`` processes, started with **spawn** (a fork of a
  process that runs an event loop and database connections is unsafe),
  started lazily on the first render and stopped by the app's lifespan;
* **one render per worker at a time, one worker per render.** A render that
  exceeds ``report_timeout_seconds`` kills *its* worker only; the other
  renders go on. (``concurrent.futures.ProcessPoolExecutor`` can only stop a
  task by tearing the whole pool down, which made one stuck render fail
  everybody else's.) The limit counts from the moment the worker starts the
  render, so time spent waiting for a free worker never eats into it; that
  wait has its own bound, ``report_queue_timeout_seconds``. Waiters are
  served first come, first served;
* each worker is **recycled** after ``report_max_renders_per_worker``
  renders, so memory a render leaks (fonts, caches inside Pango/fontconfig)
  goes back to the system;
* workers **die with their server.** On Linux each asks the kernel for
  ``SIGKILL`` when its parent dies (``PR_SET_PDEATHSIG``), and every worker
  also checks between renders that its parent is still the one that started
  it, so a killed server leaves no orphan holding a hundred MiB. The kernel
  sends that signal when the *thread* that started the worker ends, so every
  worker is started by one thread of the pool's own that lives as long as
  the pool, never by the caller's thread (a job runner's threads come and go).

Per-user fairness and "render a report once, however many ask at the same
time" are decided before a render reaches this pool, in the database
(:mod:`app.reports.leases`), because they must hold across server processes.

The pool is a handle on OS processes, not application state: nothing about a
user or a report lives in it, and every worker computes the same bytes from
the same HTML.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from app.core.exceptions import StepwiseError
from app.core.metrics import RENDER_SECONDS

#: Linux's ``prctl`` option that delivers a signal to a process when its parent dies.
_PR_SET_PDEATHSIG = 1
#: How long a new worker may take to import WeasyPrint and say it is ready.
_START_TIMEOUT = 60.0


class ReportUnavailable(StepwiseError):
    """The renderer could not produce the PDF now; trying again later may work."""

    status_code = 503

    def __init__(self, detail: str, *, retry_after: int = 30):
        super().__init__(detail, retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


class ReportTimeout(ReportUnavailable):
    """The render exceeded its time limit and was stopped."""


class RendererBusy(ReportUnavailable):
    """Every worker stayed busy for longer than the queue may wait."""


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    pdf: bytes
    #: The worker process that rendered it (lets tests and logs see recycling).
    worker_pid: int
    seconds: float


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), then check
    the parent did not die before the request was made."""
    name = ctypes.util.find_library("c")
    if name is not None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(0)


def _worker_main(conn: Connection, parent_pid: int) -> None:
    """A worker process: render what the parent sends until told to stop."""
    _die_with_parent(parent_pid)
    from app.reports.render import release_memory, render_pdf

    conn.send(("ready", os.getpid()))  # imports done: the parent's time limits start now
    while True:
        # Between renders, wake up now and then to notice a parent that died
        # where PR_SET_PDEATHSIG is not available.
        while not conn.poll(5):
            if os.getppid() != parent_pid:
                return
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        html, base_url = job
        start = time.perf_counter()
        try:
            pdf = render_pdf(html, base_url=base_url)
        except Exception as exc:  # reported to the parent, which raises it
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("ok", RenderOutcome(pdf, os.getpid(), time.perf_counter() - start)))
        release_memory()


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    renders: int = 0

    def stop(self) -> None:
        """Ask an idle worker to finish, and reap it."""
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class RenderFailed(StepwiseError):
    """The document could not be rendered (a bug, not a load problem)."""

    status_code = 500


@dataclass
class _Slots:
    """Who holds a worker and who waits for one, first come first served."""

    capacity: int
    idle: list[_Worker] = field(default_factory=list)
    live: int = 0
    waiting: deque[object] = field(default_factory=deque)


class RenderPool:
    """Worker processes with a time limit per render that stops only that render."""

    def __init__(
        self,
        *,
        workers: int,
        timeout: float,
        max_renders_per_worker: int,
        queue_timeout: float | None = None,
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        self.queue_timeout = timeout if queue_timeout is None else queue_timeout
        self.max_renders_per_worker = max_renders_per_worker
        self._slots = _Slots(capacity=workers)
        self._cond = threading.Condition()
        self._busy: set[_Worker] = set()
        self._closed = False
        # Threads that wait on workers for the async API: their own, so waiting
        # renders never occupy the event loop's default executor.
        self._threads = ThreadPoolExecutor(
            max_workers=max(4, workers * 8), thread_name_prefix="report-render"
        )
        # The one thread that starts workers: their parent-death signal is tied to it.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-start")

    # -- workers --------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_worker_main, args=(child_end, os.getpid()), daemon=True, name="report-render"
        )
        self._starter.submit(process.start).result()
        child_end.close()
        worker = _Worker(process, parent_end)
        try:
            ready = parent_end.poll(_START_TIMEOUT) and parent_end.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            worker.kill()
            raise ReportUnavailable("The report renderer could not start")
        return worker

    def _acquire(self) -> _Worker:
        """A worker of our own: an idle one, a new one, or the next one freed."""
        ticket = object()
        worker: _Worker | None = None
        deadline = time.monotonic() + self.queue_timeout
        with self._cond:
            if self._closed:
                raise ReportUnavailable("The report renderer is shutting down")
            self._slots.waiting.append(ticket)
            try:
                while True:
                    if self._slots.waiting[0] is ticket:
                        if self._slots.idle:
                            worker = self._slots.idle.pop()
                            break
                        if self._slots.live < self._slots.capacity:
                            self._slots.live += 1
                            break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise RendererBusy(
                            "Every report renderer is busy; please try again in a minute"
                        )
                    self._cond.wait(remaining)
            finally:
                self._slots.waiting.remove(ticket)
                self._cond.notify_all()
        if worker is None:
            try:
                worker = self._spawn()
            except BaseException:
                self._release(None)
                raise
        with self._cond:
            self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker | None, *, reusable: bool = False) -> None:
        with self._cond:
            if worker is not None:
                self._busy.discard(worker)
            if reusable and worker is not None and not self._closed:
                self._slots.idle.append(worker)
            else:
                self._slots.live -= 1
            self._cond.notify_all()

    # -- rendering ------------------------------------------------------------------------

    def render(self, html: str, *, base_url: str | None = None) -> RenderOutcome:
        """Render in a worker and wait (blocking; the async API runs this in a thread)."""
        worker = self._acquire()
        started = time.perf_counter()
        try:
            worker.conn.send((html, base_url))
            if not worker.conn.poll(self.timeout):
                RENDER_SECONDS.labels(outcome="timeout").observe(time.perf_counter() - started)
                raise self._timeout_error()
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            self._release(worker)
            RENDER_SECONDS.labels(outcome="lost").observe(time.perf_counter() - started)
            raise ReportUnavailable("The report renderer stopped unexpectedly") from None
        except BaseException:
            worker.kill()  # a timeout, or the caller gave up: this render only
            self._release(worker)
            raise
        RENDER_SECONDS.labels(outcome="ok" if status != "error" else "failed").observe(
            time.perf_counter() - started
        )
        worker.renders += 1
        if worker.renders >= self.max_renders_per_worker:
            worker.stop()
            self._release(worker)
        else:
            self._release(worker, reusable=True)
        if status == "error":
            raise RenderFailed("The report could not be rendered")
        assert isinstance(payload, RenderOutcome)
        return payload

    async def render_async(self, html: str, *, base_url: str | None = None) -> RenderOutcome:
        """Render without blocking the event loop, with the same limits."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._threads, lambda: self.render(html, base_url=base_url)
        )

    def _timeout_error(self) -> ReportTimeout:
        return ReportTimeout(
            f"The report took longer than {self.timeout:g} seconds to render and was stopped; "
            "please try again in a minute"
        )

    def worker_pids(self) -> list[int]:
        """The live workers' process ids (for tests and diagnostics)."""
        with self._cond:
            workers = [*self._slots.idle, *self._busy]
        return [w.process.pid for w in workers if w.process.pid is not None]

    def shutdown(self) -> None:
        """Stop every worker: idle ones finish, busy ones are killed."""
        with self._cond:
            self._closed = True
            idle, self._slots.idle = self._slots.idle, []
            busy = list(self._busy)
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._starter.shutdown(wait=False, cancel_futures=True)


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
                queue_timeout=settings.report_queue_timeout_seconds,
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
