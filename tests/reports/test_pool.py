"""The render pool: real worker processes, a time limit, recycling."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.reports.pool import RenderPool, ReportTimeout

#: Thousands of table rows: seconds of layout work, far beyond the tiny limit below.
HOSTILE = "<table>" + "<tr><td>x</td><td>y</td><td>z</td></tr>" * 30000 + "</table>"


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(workers=1, timeout=60, max_renders_per_worker=2)
    yield pool
    pool.shutdown()


def test_a_render_over_the_limit_is_stopped_and_the_next_one_works(pool: RenderPool) -> None:
    first = pool.render("<p>warm up</p>")  # the worker's start-up is not part of the limit
    pool.timeout = 1.0
    with pytest.raises(ReportTimeout) as raised:
        pool.render(HOSTILE)
    assert raised.value.status_code == 503
    assert raised.value.headers == {"Retry-After": "30"}
    assert "longer than 1 seconds" in raised.value.detail
    pool.timeout = 60
    after = pool.render("<p>still fine</p>")
    assert after.pdf.startswith(b"%PDF")
    assert after.worker_pid != first.worker_pid  # the stuck worker was killed, not reused


def test_workers_are_recycled_after_their_quota(pool: RenderPool) -> None:
    pids = [pool.render(f"<p>{n}</p>").worker_pid for n in range(5)]
    # Two renders per worker process, then a fresh one.
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]


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
