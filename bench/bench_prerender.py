"""Report pre-rendering: how soon a submitted report is cached, and what that buys the download.

Usage::

    .venv/bin/python bench/bench_prerender.py [--downloads 10] [--batch 20] [--rounds 2]
    STEPWISE_BENCH_PG=postgresql+psycopg://... .venv/bin/python bench/bench_prerender.py

Every report is the typical Product Owner self-assessment (``rubrics/product-owner.yaml``,
:func:`app.reports.sample.sample_responses`), each of a participant of its own (so no report
carries another's history and all cost the same).

1. **SQLite, in-process runner** (the server's loop, :func:`app.jobs.in_process.run_loop`,
   default 1 s poll, the render pool of this process): per round, one assessment submitted
   with the runner stopped and downloaded at once (**uncached baseline**: the download
   renders), then one submitted with the runner going: the time from the submit's commit
   until its report is in the cache, then its first download (a cache hit). p50/p95 of both
   downloads and their ratio, measured interleaved in the same run.
2. **PostgreSQL, one ``stepwise worker``**: submit → report cached, per report, sequentially.
3. **PostgreSQL throughput**: ``--batch`` reports submitted in one transaction, until all
   are cached, with 1 and with 2 ``stepwise worker --concurrency 1`` processes (each
   warmed up first, so no figure includes a render pool's start), ``--rounds`` times
   alternately; the speed-up is the ratio of the medians.

The machine is shared: the load average before and after is printed with the figures.
The last line of output is one JSON object for tools (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_TMP = Path(tempfile.mkdtemp(prefix="stepwise-bench-prerender-"))
# Settings are read once, on first use: fix them before any app module asks.
os.environ.update(
    STEPWISE_ENVIRONMENT="test",  # no runner in the app's lifespan: this script drives it
    STEPWISE_DATABASE_URL=f"sqlite:///{_TMP / 'bench.db'}",
    STEPWISE_RUBRICS_DIR=str(ROOT / "rubrics"),
    STEPWISE_VAR_DIR=str(_TMP),
)
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import tasks  # noqa: E402,F401  (registers reports.prerender and its subscriber)
from app.accounts import service as accounts  # noqa: E402
from app.core import migrations  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import get_engine, make_engine  # noqa: E402
from app.jobs.in_process import run_loop  # noqa: E402
from app.reports.sample import sample_responses  # noqa: E402
from app.rubrics.loader import load_rubric_dir, load_rubric_file  # noqa: E402
from app.rubrics.service import sync_rubrics  # noqa: E402
from tests.fixtures.assessments import submitted_by_newcomer  # noqa: E402
from tests.fixtures.database import reset_database  # noqa: E402

RUBRIC = ROOT / "rubrics" / "product-owner.yaml"
STEPWISE = str(ROOT / ".venv" / "bin" / "stepwise")
_users = iter(range(1, 10**6))


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def submit(session: Session, *, token: bool = False) -> tuple[int, str | None]:
    """A new participant's submitted Product Owner assessment (not committed), and a token."""
    rubric = load_rubric_file(RUBRIC).rubric
    state = submitted_by_newcomer(
        session=session,
        email=f"bench{next(_users)}@example.test",
        answers=sample_responses(rubric),
        rubric_id=rubric.id,
    )
    secret = None
    if token:
        user = accounts.get_user(session=session, user_id=state.assessment.participant_id)
        secret, _ = accounts.issue_api_token(session=session, user=user, ttl=timedelta(hours=1))
    return state.id, secret


def cached(observer: Engine, ids: list[int]) -> int:
    """How many of ``ids`` have a cached report (a reader that takes no write lock)."""
    with observer.connect() as conn:
        placeholders = ",".join(str(int(i)) for i in ids)
        return int(
            conn.execute(
                text(
                    "SELECT count(DISTINCT assessment_id) FROM report_cache "  # noqa: S608
                    f"WHERE assessment_id IN ({placeholders})"
                )
            ).scalar_one()
        )


def wait_cached(observer: Engine, ids: list[int], started: float, timeout: float = 600) -> float:
    while cached(observer, ids) < len(ids):
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{cached(observer, ids)}/{len(ids)} cached after {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def committed_submits(
    engine: Engine, count: int, *, token: bool = False
) -> tuple[list[int], list[str], float]:
    """``count`` submits in one transaction; their ids, tokens and the commit's moment."""
    with Session(engine, expire_on_commit=False) as session:
        made = [submit(session, token=token) for _ in range(count)]
        session.commit()
        committed = time.perf_counter()
    return [i for i, _ in made], [t for _, t in made if t], committed


# -- 1. SQLite: the in-process runner ------------------------------------------------------


@contextmanager
def in_process_runner(engine: Engine) -> Iterator[None]:
    """The server's job loop, in a thread of its own as the server's event loop would run it."""
    loop = asyncio.new_event_loop()
    settings = get_settings()
    task = loop.create_task(
        run_loop(
            engine=engine,
            poll_seconds=settings.jobs_poll_seconds,
            stale_after=timedelta(seconds=settings.jobs_stale_after_seconds),
        )
    )
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(task.cancel)
        time.sleep(0.05)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=120)  # a job in hand finishes first


def bench_sqlite(downloads: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = get_settings()
    migrations.upgrade(settings.database_url)
    engine = get_engine()
    observer = make_engine(settings.database_url, begin_immediate=False)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(settings.rubrics_dir))
        session.commit()

    def download(client: TestClient, assessment_id: int, token: str, expect: str) -> float:
        start = time.perf_counter()
        response = client.get(
            f"/api/v1/assessments/{assessment_id}/report.pdf",
            headers={"Authorization": f"Bearer {token}"},
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.text
        assert response.headers["x-report-cache"] == expect, response.headers
        return elapsed

    uncached: list[float] = []
    warm: list[float] = []
    latency: list[float] = []
    with TestClient(create_app()) as client:
        # Warm up: the render pool's worker starts, imports WeasyPrint, loads fonts.
        (first,), (token,), _ = committed_submits(engine, 1, token=True)
        download(client, first, token, "miss")
        with engine.begin() as conn:  # its job would find the report cached: not measured
            conn.execute(text("DELETE FROM jobs WHERE status = 'queued'"))
        for _ in range(downloads):
            (plain,), (token,), _ = committed_submits(engine, 1, token=True)
            uncached.append(download(client, plain, token, "miss"))
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM jobs WHERE status = 'queued'"))
            with in_process_runner(engine):
                (ahead,), (token,), committed = committed_submits(engine, 1, token=True)
                latency.append(wait_cached(observer, [ahead], committed))
            warm.append(download(client, ahead, token, "hit"))
    observer.dispose()
    return {
        "downloads": downloads,
        "poll_seconds": settings.jobs_poll_seconds,
        "submit_to_cached_s": summary(latency),
        "uncached_first_download_ms": summary(uncached, 1000),
        "prerendered_first_download_ms": summary(warm, 1000),
        "p95_ratio": round(p95(uncached) / p95(warm), 1),
    }


def summary(values: list[float], scale: float = 1.0) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values) * scale, 3),
        "p95": round(p95(values) * scale, 3),
        "min": round(min(values) * scale, 3),
        "max": round(max(values) * scale, 3),
    }


# -- 2 and 3. PostgreSQL: stepwise worker processes ----------------------------------------


@contextmanager
def workers(url: str, count: int, log: Path) -> Iterator[None]:
    env = {**os.environ, "STEPWISE_DATABASE_URL": url, "STEPWISE_ENVIRONMENT": "development"}
    with log.open("ab") as out:
        processes = [
            subprocess.Popen(
                [STEPWISE, "worker", "--concurrency", "1"], env=env, stdout=out, stderr=out
            )
            for _ in range(count)
        ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def warm_up(engine: Engine, observer: Engine, count: int) -> None:
    """Enough reports that every worker has rendered one (its pool started)."""
    ids, _, committed = committed_submits(engine, 2 * count)
    wait_cached(observer, ids, committed)


def timed_batch(engine: Engine, observer: Engine, size: int) -> float:
    ids, _, committed = committed_submits(engine, size)
    return wait_cached(observer, ids, committed)


def bench_postgres(url: str, latencies: int, batch: int, rounds: int) -> dict[str, Any]:
    reset_database(url)
    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(get_settings().rubrics_dir))
        session.commit()
    log = _TMP / "workers.log"
    latency: list[float] = []
    with workers(url, 1, log):
        warm_up(engine, engine, 1)
        for _ in range(latencies):
            ids, _, committed = committed_submits(engine, 1)
            latency.append(wait_cached(engine, ids, committed))
    times: dict[int, list[float]] = {1: [], 2: []}
    loads: list[str] = []
    for _ in range(rounds):
        for count in (1, 2):
            with workers(url, count, log):
                warm_up(engine, engine, count)
                loads.append(load())
                times[count].append(timed_batch(engine, engine, batch))
    engine.dispose()
    one, two = statistics.median(times[1]), statistics.median(times[2])
    return {
        "submit_to_cached_s": summary(latency),
        "batch": batch,
        "rounds": rounds,
        "one_worker_s": [round(t, 2) for t in times[1]],
        "two_workers_s": [round(t, 2) for t in times[2]],
        "speedup": round(one / two, 2),
        "load_at_batches": loads,
    }


def show(figures: dict[str, float]) -> str:
    return f"p50 {figures['p50']}, p95 {figures['p95']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--downloads", type=int, default=10, help="SQLite rounds")
    parser.add_argument("--latencies", type=int, default=5, help="PostgreSQL single submits")
    parser.add_argument("--batch", type=int, default=20, help="reports per throughput batch")
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds (1 then 2)")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"bench": "prerender", "python": platform.python_version()}
    result["load_before"] = load()
    print(f"load average before: {result['load_before']}")

    sqlite = bench_sqlite(args.downloads)
    result["sqlite"] = sqlite
    print(
        f"sqlite   submit -> cached: {show(sqlite['submit_to_cached_s'])} s "
        f"(in-process loop, {sqlite['poll_seconds']:g} s poll)"
    )
    print(
        f"sqlite   first download uncached: {show(sqlite['uncached_first_download_ms'])} ms; "
        f"pre-rendered: {show(sqlite['prerendered_first_download_ms'])} ms; "
        f"p95 ratio {sqlite['p95_ratio']}x"
    )
    from app.reports.pool import shutdown_pool

    shutdown_pool()  # the PostgreSQL part renders in the workers only

    pg = os.environ.get("STEPWISE_BENCH_PG")
    if pg:
        postgres = bench_postgres(pg, args.latencies, args.batch, args.rounds)
        result["postgres"] = postgres
        print(
            f"postgres submit -> cached: {show(postgres['submit_to_cached_s'])} s "
            "(one stepwise worker)"
        )
        print(
            f"postgres {args.batch} reports: 1 worker {postgres['one_worker_s']} s, "
            f"2 workers {postgres['two_workers_s']} s, speed-up {postgres['speedup']}x "
            f"(load at the batches: {postgres['load_at_batches']})"
        )
    result["load_after"] = load()
    print(f"load average after: {result['load_after']}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
