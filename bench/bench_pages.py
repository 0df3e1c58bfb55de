"""Server time of the HTML pages (issue #20, goal 6): p50/p95 against the bare app's hello.

Usage::

    .venv/bin/python bench/bench_pages.py [--rounds 5] [--requests 10] [--profile PAGE]
                                          [--locale de]

A throw-away SQLite database is migrated, ``rubrics/`` loaded and filled by
the programmes seed (:func:`app.programmes.seed.seed_programme`, what
``stepwise demo seed`` runs) with 100 participants and 5 coaches in one
cohort: a closed cycle where everyone submitted and was reviewed, and an
open one in progress. The pages are then requested in-process through the
real ASGI app (``TestClient``, web-session cookies made by the accounts
service, no job worker):

* ``questionnaire``: a participant's in-progress assessment, section 1;
* ``results``: a submitted assessment's results, as its participant sees them;
* ``review``: the coach review workspace of that assessment, as its coach;
* ``cohort``: the admin cohort page (100 members; the page lists 50);
* ``cycle``: the open cycle's progress page (100 participants), as an admin.

Baseline, through the same kind of client in the same run: ``GET /hello`` of
``bench/bare_app.py`` (and Stepwise's ``/healthz``). The rounds alternate
every route, so a burst of load on the shared machine hits all of them.
Reported: p50 and p95 per page over all requests, of wall time and of the
process's CPU time (``time.process_time``, every thread: on a loaded shared
machine the CPU time is the steadier figure), each as a ratio to hello's
p50; the time spent in the garbage collector per request (``gc.callbacks``);
the SQL statements of one request and the page size. The goal: p95 under
50 ms. ``--profile PAGE`` runs ``cProfile`` over ``--requests`` requests of
one page and prints the top functions instead; ``--locale de`` asks for the
pages in German (the language cookie). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_P95_MS = 50.0
PARTICIPANTS = 100
COACHES = 5


def _environment(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'pages.db'}"
    os.environ.update(
        {
            "STEPWISE_DATABASE_URL": url,
            "STEPWISE_RUBRICS_DIR": str(ROOT / "rubrics"),
            "STEPWISE_VAR_DIR": str(tmp / "var"),
            "STEPWISE_ENVIRONMENT": "development",
            "STEPWISE_JOBS_IN_PROCESS": "false",
            "STEPWISE_SECRET_KEY": "bench-pages-secret-0123456789abcdef0123456789abcd",
        }
    )
    return url


def _seed(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Migrate and seed; the page paths and the session secret of who opens each."""
    from sqlmodel import Session, select

    from app.accounts import service as accounts
    from app.accounts import sessions
    from app.accounts.models import Role, User
    from app.assessments.models import Assessment
    from app.coaching.models import CoachReview
    from app.core import migrations
    from app.core.db import make_engine
    from app.core.timeutils import utcnow
    from app.programmes.models import CycleParticipation
    from app.programmes.seed import seed_programme
    from app.rubrics.loader import load_rubric_dir
    from app.rubrics.service import sync_rubrics

    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(ROOT / "rubrics"))
        report = seed_programme(
            session=session, participants=PARTICIPANTS, coaches=COACHES, now=utcnow()
        )
        admin = accounts.create_user(
            session=session,
            email="bench-admin@example.test",
            display_name="Bench Admin",
            roles=frozenset({Role.admin}),
            password=None,
            password_min_length=10,
        )

        def one_of(cycle_id: int, submitted: bool) -> Assessment:
            return session.exec(
                select(Assessment)
                .join(CycleParticipation, CycleParticipation.assessment_id == Assessment.id)  # type: ignore[arg-type]
                .where(CycleParticipation.cycle_id == cycle_id)
                .where(Assessment.submitted_at.is_not(None) == submitted)  # type: ignore[union-attr]
                .where(Assessment.version >= 2)
                .order_by(Assessment.id)
            ).first()  # type: ignore[return-value]

        started = one_of(report.open_cycle_id, submitted=False)
        done = one_of(report.closed_cycle_id, submitted=True)
        review = session.exec(select(CoachReview).where(CoachReview.assessment_id == done.id)).one()

        def cookie(user_id: int) -> str:
            user = session.get(User, user_id)
            assert user is not None
            return sessions.start_session(session=session, user=user, ttl=timedelta(hours=2)).secret

        who = {
            "questionnaire": cookie(started.participant_id),
            "results": cookie(done.participant_id),
            "review": cookie(review.coach_id),
            "cohort": cookie(admin.id),  # type: ignore[arg-type]
        }
        who["cycle"] = who["cohort"]
        paths = {
            "questionnaire": f"/assessments/{started.id}",
            "results": f"/assessments/{done.id}/results",
            "review": f"/coaching/reviews/{review.id}",
            "cohort": f"/admin/cohorts/{report.cohort_id}",
            "cycle": f"/cycles/{report.open_cycle_id}",
        }
        session.commit()
    engine.dispose()
    return paths, who


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _statements(call: Callable[[], Any], show: str | None = None) -> int:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    if show:
        print(f"{show}: {len(seen)} statements")
        for i, text in enumerate(seen, 1):
            print(f"  {i:2}. {' '.join(text.split())[:200]}")
    return len(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=10, help="per route and round")
    parser.add_argument("--profile", help="cProfile one page instead of timing all")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--profile-out", help="with --profile: also write the stats (pstats)")
    parser.add_argument(
        "--statements", action="store_true", help="print each page's SQL statements first"
    )
    parser.add_argument("--locale", help="request the pages in this locale (its cookie), e.g. de")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        url = _environment(Path(tmp))
        paths, who = _seed(url)
        run(paths, who, args)


def run(paths: dict[str, str], who: dict[str, str], args: argparse.Namespace) -> None:
    from fastapi.testclient import TestClient

    from app.accounts import cookies
    from app.core import i18n
    from app.core.config import get_settings
    from app.main import create_app
    from bench.bare_app import app as bare_app

    cookie_name = cookies.cookie_name(cookies.SESSION, settings=get_settings())
    html = {"Accept": "text/html"}
    load_before = os.getloadavg()
    with TestClient(_profiled(create_app())) as app, TestClient(bare_app) as bare:

        def page(name: str) -> Callable[[], Any]:
            def call() -> Any:
                app.cookies.set(cookie_name, who[name])
                if args.locale:
                    app.cookies.set(i18n.LOCALE_COOKIE, args.locale)
                response = app.get(paths[name], headers=html, follow_redirects=False)
                assert response.status_code == 200, (name, response.status_code)
                return response

            return call

        calls: dict[str, Callable[[], Any]] = {
            "hello": lambda: bare.get("/hello"),
            "healthz": lambda: app.get("/healthz"),
            **{name: page(name) for name in paths},
        }
        sizes = {name: len(call().content) for name, call in calls.items()}  # warm-up
        for call in calls.values():
            call()
        if args.profile:
            profile(calls[args.profile], args.requests, args.top, args.profile_out)
            return
        shown = args.statements
        statements = {name: _statements(calls[name], name if shown else None) for name in paths}
        times: dict[str, list[float]] = {name: [] for name in calls}
        cpu: dict[str, list[float]] = {name: [] for name in calls}
        collecting = dict.fromkeys(calls, 0.0)
        with _GarbageCollections() as collections:
            for _ in range(args.rounds):
                for name, call in calls.items():
                    for _ in range(args.requests):
                        collections.spent = 0.0
                        started, cpu_started = time.perf_counter(), time.process_time()
                        call()
                        cpu[name].append((time.process_time() - cpu_started) * 1000)
                        times[name].append((time.perf_counter() - started) * 1000)
                        collecting[name] += collections.spent * 1000
    load_after = os.getloadavg()
    hello = statistics.median(times["hello"])
    hello_cpu = statistics.median(cpu["hello"])
    results = {
        name: {
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(_percentile(values, 0.95), 2),
            "ratio_p50_to_hello": round(statistics.median(values) / hello, 1),
            "cpu_p50_ms": round(statistics.median(cpu[name]), 2),
            "cpu_p95_ms": round(_percentile(cpu[name], 0.95), 2),
            "cpu_ratio_p50_to_hello": round(statistics.median(cpu[name]) / hello_cpu, 1),
            "statements": statements.get(name),
            "gc_ms_per_request": round(collecting[name] / len(values), 2),
            "bytes": sizes[name],
        }
        for name, values in times.items()
    }
    print(f"load average before {load_before}, after {load_after}")
    for name, r in results.items():
        print(
            f"{name:>14}: p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
            f"{r['ratio_p50_to_hello']:6.1f}x hello | CPU p50 {r['cpu_p50_ms']:7.2f} ms  "
            f"p95 {r['cpu_p95_ms']:7.2f} ms  {r['cpu_ratio_p50_to_hello']:6.1f}x | "
            f"statements {r['statements']}  "
            f"gc {r['gc_ms_per_request']} ms/request  "
            f"{r['bytes']} bytes"
        )
    ok = all(results[name]["p95_ms"] < GOAL_P95_MS for name in paths)
    print(f"goal p95 < {GOAL_P95_MS} ms on every page: {ok}")
    print(
        json.dumps(
            {"results": results, "ok": ok, "loadavg": [load_before, load_after], "paths": paths}
        )
    )


class _GarbageCollections:
    """Time spent in the cyclic garbage collector (``gc.callbacks``) while it is entered."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._started = 0.0

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spent += time.perf_counter() - self._started

    def __enter__(self) -> _GarbageCollections:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)


def profile(call: Callable[[], Any], requests: int, top: int, out: str | None = None) -> None:
    """cProfile the server side of ``requests`` calls in one thread: the thread-pool calls
    (``anyio.to_thread.run_sync``: sync routes and dependencies) run inline on the event
    loop meanwhile, so the profile charges each function its own time, not the waits and
    GIL switches between threads (the timings above keep the real thread pool)."""
    import anyio.to_thread

    original = anyio.to_thread.run_sync

    async def run_inline(func: Callable[..., Any], *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_inline  # type: ignore[assignment]
    _PROFILE_LOOP.append(cProfile.Profile())
    try:
        for _ in range(requests):
            call()
    finally:
        anyio.to_thread.run_sync = original  # type: ignore[assignment]
        profiler = _PROFILE_LOOP.pop()
    if out:
        profiler.dump_stats(out)  # for callers/callees: python -m pstats FILE
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


#: The profiler of the event loop's thread while ``--profile`` runs (see :func:`_profiled`).
_PROFILE_LOOP: list[cProfile.Profile] = []


def _profiled(app: Any) -> Any:
    """The ASGI app, with the loop-thread profiler on for the length of each request."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if not _PROFILE_LOOP or scope["type"] != "http":
            await app(scope, receive, send)
            return
        _PROFILE_LOOP[0].enable()
        try:
            await app(scope, receive, send)
        finally:
            _PROFILE_LOOP[0].disable()

    return wrapped


if __name__ == "__main__":
    main()
