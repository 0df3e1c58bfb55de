"""Where one signed-in API request spends its CPU: cProfile of the real ASGI app, in-process.

Usage::

    .venv/bin/python bench/profile_request.py [--path /api/v1/me] [--requests 2000] [--top 40]
    .venv/bin/python bench/profile_request.py --score   # POST /api/v1/score, bench_http's body

Sets up the same throw-away SQLite database as ``bench/bench_http.py`` (migrated,
rubrics loaded, one participant with an API token), then drives ``app.main.app``
with hand-built ASGI scopes: no HTTP parsing, no load generator, one request
after another. Prints the CPU and wall time per request without the profiler,
then the profile grouped into the parts of a request (issue 20, goal 1: what
the fixed cost of a signed-in request is made of), then the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: The parts of a request, by the function whose cumulative time stands for it.
PARTS = {
    "token look-up (ORM select + row)": "signin_repository.py:token_owner",
    "unit of work (open, end)": "deps.py:get_session",
    "route matching": "routing.py:_match",
    "dependency resolution (all, look-up included)": "utils.py:solve_dependencies",
    "request body: JSON + ScoreIn validation": "utils.py:request_body_to_args",
    "scoring (engine.score_document)": "engine.py:score_document",
    "response: validation + JSON": "routing.py:serialize_response",
}


def _cumulative(stats: pstats.Stats, key: str) -> float:
    """Cumulative seconds of the outermost calls of ``file:function`` (recursion counted once)."""
    filename, function = key.split(":")
    total = 0.0
    for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if path.endswith(filename) and name == function:
            total = max(total, ct)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--path", default="/api/v1/me")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--score", action="store_true", help="POST /api/v1/score with bench_http.py's body"
    )
    args = parser.parse_args(argv)

    directory = tempfile.mkdtemp(prefix="stepwise-profile-")
    env = {
        "STEPWISE_DATABASE_URL": f"sqlite:///{directory}/profile.db",
        "STEPWISE_RUBRICS_DIR": str(ROOT / "rubrics"),
        "STEPWISE_VAR_DIR": directory,
    }
    os.environ.update(env)
    import bench_http

    token, answers = bench_http.prepare_database(env)
    from app.main import app

    headers = [(b"host", b"localhost"), (b"authorization", f"Bearer {token}".encode())]
    method, body = "GET", b""
    if args.score:
        args.path, method = "/api/v1/score", "POST"
        body = json.dumps({"rubric_id": bench_http.RUBRIC, "responses": answers}).encode()
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]

    async def one() -> None:
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": args.path,
            "raw_path": args.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
            "state": {},
        }
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise SystemExit(f"{args.path}: HTTP {sent[0]['status']}")

    async def run() -> None:
        for _ in range(200):  # warm up: imports, compiled statements, pools
            await one()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            await one()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{args.path}: {cpu / args.requests * 1e6:.0f} µs CPU, "
            f"{wall / args.requests * 1e6:.0f} µs wall per request (no profiler)"
        )
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            await one()
        profile.disable()
        stats = pstats.Stats(profile)
        total = _cumulative(stats, "applications.py:__call__")
        print(f"profiled: {total / args.requests * 1e6:.0f} µs per request; shares of it:")
        for label, key in PARTS.items():
            share = _cumulative(stats, key)
            if share:
                print(f"  {label}: {share / total:.0%}")
        stats.sort_stats("tottime").print_stats(args.top)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
