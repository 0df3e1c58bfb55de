"""The render pool: real worker processes, a time limit per render, recycling."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.reports.pool import RendererBusy, RenderOutcome, RenderPool, ReportTimeout

#: Thousands of table rows: seconds of layout work, far beyond the tiny limits below.
HOSTILE = "<table>" + "<tr><td>x</td><td>y</td><td>z</td></tr>" * 30000 + "</table>"


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(workers=1, timeout=60, max_renders_per_worker=2)
    yield pool
    pool.shutdown()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it holds no memory.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.split(")")[-1].split()[0] != "Z"


def test_a_render_over_the_limit_is_stopped_and_the_next_one_works(pool: RenderPool) -> None:
    first = pool.render("<p>warm up</p>")
    pool.timeout = 1.0
    with pytest.raises(ReportTimeout) as raised:
        pool.render(HOSTILE)
    assert raised.value.status_code == 503
    assert raised.value.headers == {"Retry-After": "30"}
    assert "longer than 1 seconds" in raised.value.detail
    assert not _alive(first.worker_pid)  # the stuck worker was killed...
    pool.timeout = 60
    after = pool.render("<p>still fine</p>")
    assert after.pdf.startswith(b"%PDF")
    assert after.worker_pid != first.worker_pid  # ...and replaced, not reused


def test_a_stuck_render_stops_alone_while_another_one_finishes() -> None:
    pool = RenderPool(workers=2, timeout=3.0, max_renders_per_worker=50)
    try:
        with ThreadPoolExecutor(max_workers=2) as threads:
            stuck = threads.submit(pool.render, HOSTILE)
            time.sleep(0.5)
            started = time.monotonic()
            fine = threads.submit(pool.render, "<p>someone else's report</p>").result()
            assert fine.pdf.startswith(b"%PDF")
            with pytest.raises(ReportTimeout):
                stuck.result()
        # The other render did not wait for the stuck one's time limit, nor die with it.
        assert time.monotonic() - started < 30
    finally:
        pool.shutdown()


def test_waiting_for_a_worker_has_its_own_bound() -> None:
    pool = RenderPool(workers=1, timeout=4.0, queue_timeout=0.5, max_renders_per_worker=50)
    try:
        pool.render("<p>warm up</p>")
        with ThreadPoolExecutor(max_workers=1) as threads:
            stuck = threads.submit(pool.render, HOSTILE)
            time.sleep(0.3)
            with pytest.raises(RendererBusy) as raised:
                pool.render("<p>queued behind it</p>")
            assert raised.value.status_code == 503
            with pytest.raises(ReportTimeout):
                stuck.result()
        assert pool.render("<p>free again</p>").pdf.startswith(b"%PDF")
    finally:
        pool.shutdown()


def test_workers_are_recycled_after_their_quota(pool: RenderPool) -> None:
    pids = [pool.render(f"<p>{n}</p>").worker_pid for n in range(5)]
    # Two renders per worker process, then a fresh one.
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
    assert not _alive(pids[0])


def test_the_async_api_renders_off_the_event_loop_with_the_same_limit(pool: RenderPool) -> None:
    async def scenario() -> tuple[bytes, bool]:
        pool.timeout = 60
        await pool.render_async("<p>warm up</p>")
        pool.timeout = 1.0
        timed_out = False
        try:
            await pool.render_async(HOSTILE)
        except ReportTimeout:
            timed_out = True
        pool.timeout = 60
        return (await pool.render_async("<p>ok</p>")).pdf, timed_out

    # A thread of its own: another test (the browser suite) may leave a loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        pdf, timed_out = thread.submit(asyncio.run, scenario()).result()
    assert timed_out and pdf.startswith(b"%PDF")


def test_workers_die_with_a_killed_server() -> None:
    """A server killed mid-render (SIGKILL: no lifespan shutdown) leaves no worker behind.

    The worker is busy with minutes of layout work when its parent dies, so it
    never reads its pipe again: only the kernel's parent-death signal stops it.
    """
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        from app.reports.pool import RenderPool
        from tests.reports.test_pool import HOSTILE
        pool = RenderPool(workers=1, timeout=600, max_renders_per_worker=50)
        print(pool.render("<p>one</p>").worker_pid, flush=True)
        threading.Thread(target=pool.render, args=(HOSTILE,), daemon=True).start()
        time.sleep(1.5)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -9, done.stderr
    worker = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def test_a_worker_outlives_the_thread_that_first_asked_for_it(pool: RenderPool) -> None:
    """Linux sends the parent-death signal when the *thread* that started a process ends,
    and job runners render from short-lived threads: the worker must not die with them."""
    done: list[RenderOutcome] = []
    asker = threading.Thread(target=lambda: done.append(pool.render("<p>from a job</p>")))
    asker.start()
    asker.join()
    time.sleep(0.5)
    (first,) = done
    assert _alive(first.worker_pid)
    later = pool.render("<p>a download, later</p>")
    assert later.pdf.startswith(b"%PDF") and later.worker_pid == first.worker_pid
