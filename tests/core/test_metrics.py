"""``/metrics``: Prometheus figures of requests, renders and the job queue, behind a token.

These use the app as it runs (no test session override): the scrape reads the
database on its own connection, so nothing here may hold the test's write lock.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, delete
from sqlmodel import Session

from app.core.config import get_settings
from app.jobs.models import Job
from app.main import create_app
from app.reports.pool import RenderPool
from tests.fixtures.settings import changed_settings

TOKEN = "metrics-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def with_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with changed_settings(monkeypatch, STEPWISE_METRICS_TOKEN=TOKEN):
        yield


def sample(client: TestClient, name: str, **labels: str) -> float:
    """The value of one sample of a scrape (0 when the series does not exist yet)."""
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200, response.text
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    return 0.0


def test_metrics_are_absent_without_a_token(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404


@pytest.mark.usefixtures("with_token")
@pytest.mark.parametrize("header", [None, "Bearer nope", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_scrape_without_the_token_is_refused(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert "stepwise_" not in response.text


@pytest.mark.usefixtures("with_token")
def test_requests_are_counted_per_route_template_not_per_path(client: TestClient) -> None:
    count = "stepwise_http_request_duration_seconds_count"
    template = "/api/v1/assessments/{assessment_id}"
    before = sample(client, count, route=template, method="GET", status="4xx")
    healthz = sample(client, count, route="/healthz", method="GET", status="2xx")
    unmatched = sample(client, count, route="unmatched", method="GET", status="4xx")
    client.get("/api/v1/assessments/123456")  # 401: no credentials
    client.get("/healthz")
    client.get("/no/such/page/4711")
    assert sample(client, count, route=template, method="GET", status="4xx") >= before + 1
    assert sample(client, count, route="/healthz", method="GET", status="2xx") >= healthz + 1
    assert sample(client, count, route="unmatched", method="GET", status="4xx") >= unmatched + 1
    scrape = client.get("/metrics", headers=AUTH).text
    routes = {
        s.labels["route"]
        for family in text_string_to_metric_families(scrape)
        for s in family.samples
        if "route" in s.labels
    }
    assert template in routes and "unmatched" in routes
    assert not [r for r in routes if "123456" in r or "4711" in r]


@pytest.mark.usefixtures("with_token")
def test_the_queue_depth_is_read_from_the_database(client: TestClient, engine: Engine) -> None:
    if not get_settings().is_sqlite:
        pytest.skip("PostgreSQL's queue is procrastinate's (tests/jobs/test_postgres.py)")
    before = sample(client, "stepwise_jobs", status="queued")
    with Session(engine) as session:
        job = Job(task="jobs.prune", args="{}", max_attempts=1)
        session.add(job)
        session.commit()
        job_id = job.id
    try:
        assert sample(client, "stepwise_jobs", status="queued") >= before + 1
    finally:
        with Session(engine) as session:
            session.execute(delete(Job).where(Job.id == job_id))  # type: ignore[arg-type]
            session.commit()


@pytest.mark.usefixtures("with_token")
def test_report_renders_are_timed(client: TestClient) -> None:
    ok = "stepwise_report_render_duration_seconds_count"
    before = sample(client, ok, outcome="ok")
    pool = RenderPool(workers=1, timeout=60, max_renders_per_worker=5)
    try:
        pool.render("<html><body><p>Hello</p></body></html>")
    finally:
        pool.shutdown()
    assert sample(client, ok, outcome="ok") >= before + 1
