"""HTTP benchmark: ``POST /api/v1/score`` against ``GET /healthz`` on a real server.

Usage::

    .venv/bin/python bench/bench_http.py [--duration 10] [--rounds 3] [--threads 2]
                                         [--connections 16] [--workers 1]

Sets up a throw-away SQLite database in a temporary directory (migrated, the
``rubrics/`` directory loaded, one participant with an API token, all through
the service functions), starts the app under uvicorn on 127.0.0.1 and a free
port, and waits for ``/healthz``. Then it loads the two endpoints with ``wrk``
(a Lua script supplies the POST body and the ``Authorization`` header),
alternating ``health, score, me`` for ``--rounds`` rounds so drift on a
shared machine hits all alike. ``GET /api/v1/me`` is a reference: the
cheapest authenticated route, so its ratio to health is the ceiling for any
endpoint that (like score) must authenticate. The score request is one full, seeded random
response set of the product-owner rubric (230 items, a few n/a).

The goal is judged on the ratio, not on absolute numbers: the median over
rounds of ``score req/s / health req/s`` should be at least 0.70. Any non-2xx
response fails the run. The last line of output is one JSON object for tools
(docs/benchmarks.md). Without ``wrk`` on the PATH a bounded Python client
(threads with keep-alive connections) does the load instead; it is much
slower than wrk, so its absolute numbers are not comparable with wrk's.
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
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL = 0.70
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


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "app.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


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


def run_wrk(port: int, target: Target, args: argparse.Namespace, directory: Path) -> float:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "10s",
    ]  # fmt: skip
    script = lua_script(target, directory)
    if script is not None:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{target.path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise SystemExit(f"{target.name}: errors under load:\n{output}")
    match = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if match is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return float(match.group(1))


def run_python(port: int, target: Target, args: argparse.Namespace) -> float:
    """Fallback load: ``--connections`` threads, keep-alive, for ``--duration`` seconds."""
    deadline = time.monotonic() + args.duration
    counts: list[int] = []
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = 0
        while time.monotonic() < deadline:
            conn.request(target.method, target.path, body=target.body, headers=target.headers or {})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
                break
            done += 1
        conn.close()
        counts.append(done)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{target.name}: {errors[0]} under load")
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()

    tool = "wrk" if shutil.which("wrk") else "python"
    with tempfile.TemporaryDirectory(prefix="stepwise-bench-") as tmp:
        directory = Path(tmp)
        env = {
            "STEPWISE_ENVIRONMENT": "development",
            "STEPWISE_DATABASE_URL": f"sqlite:///{directory / 'bench.db'}",
            "STEPWISE_RUBRICS_DIR": str(ROOT / "rubrics"),
            "STEPWISE_VAR_DIR": str(directory / "var"),
        }
        token, answers = prepare_database(env)
        health = Target("health", "GET", "/healthz")
        score = Target(
            "score",
            "POST",
            "/api/v1/score",
            body=json.dumps({"rubric_id": RUBRIC, "responses": answers}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        # Reference: the cheapest authenticated route. Its ratio to health is the
        # ceiling any authenticated endpoint can reach; score's gap below it is its own.
        me = Target("me", "GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        port = free_port()
        server = start_server(env, port, args.workers)
        try:
            wait_healthy(port, server)
            check_once(port, health)
            check_once(port, score)
            check_once(port, me)
            results: dict[str, list[float]] = {"health": [], "score": [], "me": []}
            for round_ in range(1, args.rounds + 1):
                for target in (health, score, me):
                    rate = (
                        run_wrk(port, target, args, directory)
                        if tool == "wrk"
                        else run_python(port, target, args)
                    )
                    results[target.name].append(rate)
                    print(f"round {round_} {target.name:6} {rate:10.1f} req/s", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    ratios = [s / h for s, h in zip(results["score"], results["health"], strict=True)]
    ratio = statistics.median(ratios)
    me_ratio = statistics.median(
        [m / h for m, h in zip(results["me"], results["health"], strict=True)]
    )
    health_median = statistics.median(results["health"])
    score_median = statistics.median(results["score"])
    verdict = "meets" if ratio >= GOAL else "MISSES"
    print(f"health median {health_median:.1f} req/s, score median {score_median:.1f} req/s")
    print(
        f"ratio score/health per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {ratio:.2f} ({verdict} the goal of {GOAL:.2f})"
    )
    print(f"reference: GET /api/v1/me (authentication alone) / health: median {me_ratio:.2f}")
    summary = {
        "bench": "http",
        "tool": tool,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "threads": args.threads,
        "connections": args.connections,
        "workers": args.workers,
        "items": len(answers),
        "health_rps": [round(r, 1) for r in results["health"]],
        "score_rps": [round(r, 1) for r in results["score"]],
        "ratios": [round(r, 3) for r in ratios],
        "median_ratio": round(ratio, 3),
        "me_rps": [round(r, 1) for r in results["me"]],
        "me_median_ratio": round(me_ratio, 3),
        "goal": GOAL,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary, separators=(",", ":")))
    if ratio < GOAL:
        sys.exit(1)


if __name__ == "__main__":
    main()
