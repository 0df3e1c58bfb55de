"""Reports under load, on a real server: renders run once, and the rest of the app stays fast.

A real ``stepwise serve`` on a fresh SQLite database (the embedded default,
where a transaction held across a render would hold the write lock), with
real render workers. The quick-start sequence seeds the demo accounts; the
test submits assessments over HTTP.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fixtures.processes import run_cli, serving

ROOT = Path(__file__).parents[2]
PASSWORD = "stepwise-demo"


@dataclass
class Server:
    base: str

    def token(self, email: str) -> dict[str, str]:
        response = httpx.post(
            f"{self.base}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def submitted_assessment(self, headers: dict[str, str], seed: int) -> int:
        """A new assessment with every item answered (varied by ``seed``), submitted."""
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as http:
            rubric = http.get("/api/v1/rubrics/product-owner").json()["rubric"]
            created = http.post("/api/v1/assessments", json={"rubric_id": "product-owner"})
            assert created.status_code == 201, created.text
            aid = created.json()["id"]
            lo, hi = rubric["scale"]["min"], rubric["scale"]["max"]
            items = [
                item["id"]
                for c in rubric["competencies"]
                for b in c["behaviors"]
                for cell in b["levels"].values()
                for item in cell["items"]
            ]
            answers = {item: lo + (i * 7 + seed) % (hi - lo + 1) for i, item in enumerate(items)}
            saved = http.patch(
                f"/api/v1/assessments/{aid}/responses", json={"version": 1, "responses": answers}
            )
            assert saved.status_code == 200, saved.text
            done = http.post(f"/api/v1/assessments/{aid}/submit", json={"version": 2})
            assert done.status_code == 200, done.text
            return int(aid)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("render-load")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWISE_")}
    env |= {
        "STEPWISE_DATABASE_URL": f"sqlite:///{folder / 'stepwise.db'}",
        "STEPWISE_VAR_DIR": str(folder),
        "STEPWISE_REPORT_WORKERS": "2",
        # These tests measure renders on demand: no background pre-rendering
        # (tests/reports/test_prerender_server.py has the server that does it).
        "STEPWISE_JOBS_IN_PROCESS": "false",
    }
    for args in (("db", "upgrade"), ("rubrics", "load"), ("demo", "seed")):
        done = run_cli(*args, env=env, inherit=False, timeout=120)
        assert done.returncode == 0, done.stderr
    with serving(env) as base:
        yield Server(base)


def _report(server: Server, headers: dict[str, str], aid: int) -> httpx.Response:
    return httpx.get(
        f"{server.base}/api/v1/assessments/{aid}/report.pdf", headers=headers, timeout=180
    )


def test_six_concurrent_first_requests_render_the_report_once(server: Server) -> None:
    pat = server.token("pat@example.com")
    aid = server.submitted_assessment(pat, seed=1)
    with ThreadPoolExecutor(max_workers=6) as threads:
        responses = list(threads.map(lambda _: _report(server, pat, aid), range(6)))
    assert [r.status_code for r in responses] == [200] * 6
    assert sorted(r.headers["X-Report-Cache"] for r in responses) == ["hit"] * 5 + ["miss"]
    assert len({r.headers["ETag"] for r in responses}) == 1
    assert len({r.content for r in responses}) == 1 and responses[0].content.startswith(b"%PDF")


def test_health_stays_fast_while_three_uncached_reports_render(server: Server) -> None:
    pat, sam = server.token("pat@example.com"), server.token("sam@example.com")
    jobs = [
        (pat, server.submitted_assessment(pat, seed=2)),
        (pat, server.submitted_assessment(pat, seed=3)),
        (sam, server.submitted_assessment(sam, seed=4)),
    ]
    latencies: list[float] = []
    with ThreadPoolExecutor(max_workers=3) as threads, httpx.Client() as http:
        started = time.monotonic()
        renders = [threads.submit(_report, server, who, aid) for who, aid in jobs]
        while not all(r.done() for r in renders):
            t0 = time.perf_counter()
            assert http.get(f"{server.base}/healthz", timeout=10).status_code == 200
            latencies.append(time.perf_counter() - t0)
            time.sleep(0.02)
        rendering = time.monotonic() - started
        results = [r.result() for r in renders]
    assert [r.status_code for r in results] == [200, 200, 200]
    assert {r.headers["X-Report-Cache"] for r in results} == {"miss"}
    assert rendering > 1.0 and len(latencies) >= 20  # the renders really overlapped the probes
    p95 = statistics.quantiles(latencies, n=20)[-1]
    assert p95 < 0.200, f"healthz p95 {p95 * 1000:.0f} ms over {len(latencies)} probes"
