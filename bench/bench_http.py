"""HTTP benchmark: Stepwise against a bare FastAPI app on the same server stack, in one run.

Usage::

    .venv/bin/python bench/bench_http.py [--duration 5] [--rounds 3] [--threads 1]
                                         [--connections 8] [--workers 1]
                                         [--database-url URL]

Sets up a throw-away database (SQLite in a temporary directory, or the empty
PostgreSQL database of ``--database-url``, e.g. from ``scripts/start-postgres.sh``):
migrated, the ``rubrics/`` directory loaded, one participant with an API
token, all through the service functions. Starts Stepwise under uvicorn (1
worker, httptools, uvloop) and, beside it on the same stack, the bare app of
``bench/bare_app.py``. Then loads, with ``wrk --latency`` and in alternating
rounds so drift on a shared machine hits all alike:

* bare ``GET /hello`` and bare ``POST /bare`` (the same 230-answer body, parsed with orjson);
* Stepwise ``GET /healthz``, ``GET /api/v1/me`` (authentication alone) and
  ``POST /api/v1/score`` (one full seeded response set of the product-owner rubric).

It reports req/s, p50/p99/max per route (medians over rounds; max is the
worst), the ratios ``me/hello`` (goal 0.30) and ``score/bare POST`` (goal
0.25) per round, and the load average before and after. Any non-2xx response
or socket error (wrk's 2 s timeout included) fails the run. The last line of
output is one JSON object for tools (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ME_GOAL = 0.30
SCORE_GOAL = 0.25
RUBRIC = "product-owner"


@dataclass
class Target:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_database(env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """Migrate, load rubrics and create a user with a token; returns (token, answers)."""
    os.environ.update(env)
    from app.accounts import service as accounts
    from app.accounts.models import Role
    from app.core import migrations
    from app.core.db import make_engine, open_session
    from app.rubrics.schemas import NA
    from app.rubrics.service import get_rubric_version, rubric_of
    from app.rubrics.startup import load_and_sync_rubrics

    url = env["STEPWISE_DATABASE_URL"]
    migrations.upgrade(url)
    engine = make_engine(url)
    with open_session(engine) as session:
        load_and_sync_rubrics(session=session, directory=Path(env["STEPWISE_RUBRICS_DIR"]))
        user = accounts.create_user(
            session=session,
            email="bench@example.test",
            roles={Role.participant},
            password=None,
            password_min_length=10,
        )
        token, _ = accounts.issue_api_token(session=session, user=user, ttl=timedelta(hours=2))
        rubric = rubric_of(get_rubric_version(session=session, rubric_id=RUBRIC))
        session.commit()
    engine.dispose()
    rng = random.Random(20240601)
    lo, hi = rubric.scale.min, rubric.scale.max
    answers: dict[str, Any] = {
        item_id: NA if rng.random() < 0.04 else rng.randint(lo, hi)
        for item_id in rubric.items_by_id
    }
    return token, answers


def start_server(
    env: dict[str, str], port: int, workers: int, app: str = "app.main:app"
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", app, "--app-dir", str(ROOT / "bench"),
        "--http", "httptools", "--loop", "uvloop",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})


def wait_healthy(
    port: int, server: subprocess.Popen[bytes], timeout: float = 60, path: str = "/healthz"
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {path} in time")


def check_once(port: int, target: Target) -> None:
    """One request up front: a broken setup fails loudly, not as a fast stream of errors."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(target.method, target.path, body=target.body, headers=target.headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{target.name}: HTTP {response.status}: {body[:300]!r}")


def lua_script(target: Target, directory: Path) -> Path | None:
    if target.body is None and not target.headers:
        return None
    lines = [f"wrk.method = {json.dumps(target.method)}"]
    if target.body is not None:
        lines.append(f"wrk.body = {json.dumps(target.body.decode())}")
    for key, value in (target.headers or {}).items():
        lines.append(f"wrk.headers[{json.dumps(key)}] = {json.dumps(value)}")
    path = directory / f"{target.name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    if match is None:
        raise SystemExit(f"cannot read a latency from wrk: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(
    port: int, target: Target, args: argparse.Namespace, directory: Path
) -> dict[str, float]:
    """One wrk run: req/s and p50/p99/max latency (ms)."""
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "2s", "--latency",
    ]  # fmt: skip
    script = lua_script(target, directory)
    if script is not None:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{target.path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{target.name}: errors under load:\n{output}")
    # A request past wrk's 2 s timeout is a figure (goal: none), not a broken setup.
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors is not None and any(int(n) for n in errors.groups()[:3]):
        raise SystemExit(f"{target.name}: socket errors under load:\n{output}")
    timeouts = int(errors.group(4)) if errors is not None else 0
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    latency = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, re.MULTILINE)
    if rate is None or p50 is None or p99 is None or latency is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return {
        "rps": float(rate.group(1)),
        "p50_ms": _ms(p50.group(1)),
        "p99_ms": _ms(p99.group(1)),
        "max_ms": _ms(latency.group(1)),
        "timeouts": timeouts,
    }


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not on the PATH (apt-get install wrk)")

    started_load = load()
    with tempfile.TemporaryDirectory(prefix="stepwise-bench-") as tmp:
        directory = Path(tmp)
        env = {
            "STEPWISE_ENVIRONMENT": "development",
            "STEPWISE_DATABASE_URL": args.database_url or f"sqlite:///{directory / 'bench.db'}",
            "STEPWISE_RUBRICS_DIR": str(ROOT / "rubrics"),
            "STEPWISE_VAR_DIR": str(directory / "var"),
        }
        token, answers = prepare_database(env)
        body = json.dumps({"rubric_id": RUBRIC, "responses": answers}).encode()
        auth = {"Authorization": f"Bearer {token}"}
        json_type = {"Content-Type": "application/json"}
        port, bare_port = free_port(), free_port()
        targets = [
            (bare_port, Target("hello", "GET", "/hello")),
            (bare_port, Target("bare_post", "POST", "/bare", body=body, headers=json_type)),
            (port, Target("health", "GET", "/healthz")),
            (port, Target("me", "GET", "/api/v1/me", headers=auth)),
            (port, Target("score", "POST", "/api/v1/score", body=body, headers=json_type | auth)),
        ]
        server = start_server(env, port, args.workers)
        bare = start_server(env, bare_port, 1, app="bare_app:app")
        try:
            wait_healthy(port, server)
            wait_healthy(bare_port, bare, path="/hello")
            for target_port, target in targets:
                check_once(target_port, target)
            results: dict[str, list[dict[str, float]]] = {t.name: [] for _, t in targets}
            for round_ in range(1, args.rounds + 1):
                for target_port, target in targets:
                    figures = run_wrk(target_port, target, args, directory)
                    results[target.name].append(figures)
                    print(
                        f"round {round_} {target.name:9} {figures['rps']:9.1f} req/s  "
                        f"p50 {figures['p50_ms']:8.2f} ms  p99 {figures['p99_ms']:8.2f} ms  "
                        f"max {figures['max_ms']:8.2f} ms  past 2 s {figures['timeouts']}",
                        flush=True,
                    )
        finally:
            for process in (server, bare):
                process.terminate()
                process.wait(timeout=30)
    ended_load = load()

    def per_round(name: str, base: str) -> list[float]:
        return [a["rps"] / b["rps"] for a, b in zip(results[name], results[base], strict=True)]

    me_ratios = per_round("me", "hello")
    score_ratios = per_round("score", "bare_post")
    routes = {
        name: {
            "rps": round(statistics.median(r["rps"] for r in runs), 1),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
            "max_ms": round(max(r["max_ms"] for r in runs), 2),
            "past_2s": int(sum(r["timeouts"] for r in runs)),
        }
        for name, runs in results.items()
    }
    database = "postgresql" if args.database_url else "sqlite"
    print(f"database {database}; load average {started_load} before, {ended_load} after")
    print(f"{'route':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'past 2 s':>8}")
    for name, figures in routes.items():
        print(
            f"{name:10} {figures['rps']:9.1f} {figures['p50_ms']:8.2f} "
            f"{figures['p99_ms']:8.2f} {figures['max_ms']:8.2f} {figures['past_2s']:8d}"
        )
    me_ratio, score_ratio = statistics.median(me_ratios), statistics.median(score_ratios)
    print(
        f"me/hello per round: {', '.join(f'{r:.3f}' for r in me_ratios)}; median {me_ratio:.3f} "
        f"(goal {ME_GOAL:.2f}: {'met' if me_ratio >= ME_GOAL else 'MISSED'})"
    )
    print(
        f"score/bare POST per round: {', '.join(f'{r:.3f}' for r in score_ratios)}; median "
        f"{score_ratio:.3f} (goal {SCORE_GOAL:.2f}: "
        f"{'met' if score_ratio >= SCORE_GOAL else 'MISSED'})"
    )
    summary = {
        "bench": "http",
        "database": database,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "threads": args.threads,
        "connections": args.connections,
        "workers": args.workers,
        "items": len(answers),
        "routes": routes,
        "me_hello_ratios": [round(r, 3) for r in me_ratios],
        "score_bare_post_ratios": [round(r, 3) for r in score_ratios],
        "load_before": started_load,
        "load_after": ended_load,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
