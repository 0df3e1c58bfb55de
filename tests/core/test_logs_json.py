"""``STEPWISE_LOG_FORMAT=json``: one JSON object a line, carrying the request's id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.faults import FaultMiddleware
from app.core.logs import JsonFormatter

log = logging.getLogger("stepwise.test-json")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("stepwise")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/work")
    def work() -> dict[str, bool]:  # a sync route: runs in a worker thread
        log.info("working on it")
        return {"ok": True}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    app.add_middleware(FaultMiddleware)
    return app


def _records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_line_names_the_request_it_was_written_for(lines: io.StringIO) -> None:
    with TestClient(_app()) as client:
        response = client.get("/work", headers={"X-Request-ID": "req-abc.123"})
    assert response.headers["x-request-id"] == "req-abc.123"
    [record] = [r for r in _records(lines) if r["logger"] == "stepwise.test-json"]
    assert record["message"] == "working on it"
    assert record["level"] == "info"
    assert record["request_id"] == "req-abc.123"
    assert str(record["time"]).endswith("+00:00")


def test_an_unexpected_error_is_one_line_with_the_id_the_client_got(lines: io.StringIO) -> None:
    with TestClient(_app(), raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    records = [r for r in _records(lines) if r["logger"] == "stepwise.errors"]
    assert len(records) == 1
    assert records[0]["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in lines.getvalue()


def test_outside_a_request_there_is_no_request_id(lines: io.StringIO) -> None:
    log.warning("between requests")
    [record] = _records(lines)
    assert "request_id" not in record
