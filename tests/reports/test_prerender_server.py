"""SQLite, no worker: a real ``stepwise serve`` pre-renders a submitted report by itself.

The server's lifespan runs the in-process job loop (the ``make run`` default);
the test only submits over HTTP and then waits for the cache, without running
any job itself. The first download is then a cache hit.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from app.core.db import make_engine
from tests.fixtures.processes import run_cli, serving
from tests.reports.test_render_load import Server


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    folder = tmp_path_factory.mktemp("prerender-server")
    url = f"sqlite:///{folder / 'stepwise.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWISE_")}
    env |= {
        "STEPWISE_DATABASE_URL": url,
        "STEPWISE_VAR_DIR": str(folder),
        "STEPWISE_JOBS_POLL_SECONDS": "0.2",
    }
    for args in (("db", "upgrade"), ("rubrics", "load"), ("demo", "seed")):
        done = run_cli(*args, env=env, inherit=False, timeout=120)
        assert done.returncode == 0, done.stderr
    with serving(env, log=folder / "server.log") as base:
        yield url, Server(base)


def test_the_server_caches_a_submitted_report_before_its_first_download(
    database: tuple[str, Server],
) -> None:
    url, server = database
    pat = server.token("pat@example.com")
    aid = server.submitted_assessment(pat, seed=5)
    observer = make_engine(url, begin_immediate=False)
    try:
        deadline = time.monotonic() + 120
        while True:
            with observer.connect() as conn:
                keys = conn.execute(
                    text("SELECT key FROM report_cache WHERE assessment_id = :id"), {"id": aid}
                ).all()
            if keys:
                break
            assert time.monotonic() < deadline, "the server did not pre-render the report"
            time.sleep(0.1)
    finally:
        observer.dispose()
    first = httpx.get(f"{server.base}/api/v1/assessments/{aid}/report.pdf", headers=pat, timeout=60)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first.headers["X-Report-Cache"] == "hit"
    assert first.headers["ETag"] == f'"{keys[0][0]}"'
