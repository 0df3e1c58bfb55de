"""Unexpected errors: a 500 in our format, one log line with the request id, no traceback."""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.faults import REQUEST_ID_HEADER, request_id_for
from app.main import create_app

SECRET = "the-secret-inside-the-error"


def _app() -> FastAPI:
    app = create_app()

    @app.get("/api/v1/test/boom")
    async def boom() -> None:
        raise RuntimeError(SECRET)

    @app.get("/test/boom-page")
    def boom_page() -> None:
        raise KeyError(SECRET)

    return app


@pytest.fixture
def raising_client() -> Iterator[TestClient]:
    with TestClient(_app()) as client:
        yield client


def test_json_routes_answer_problem_details(
    raising_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="stepwise.errors"):
        response = raising_client.get("/api/v1/test/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    request_id = response.headers[REQUEST_ID_HEADER]
    assert body["status"] == 500 and body["request_id"] == request_id
    assert SECRET not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"]  # security headers still wrap it
    [record] = [r for r in caplog.records if r.name == "stepwise.errors"]
    line = record.getMessage()
    assert "\n" not in line and f"request_id={request_id}" in line
    assert "RuntimeError" in line and "path=/api/v1/test/boom" in line
    assert SECRET not in line  # the exception's text may hold request data
    assert record.exc_info is None


def test_pages_answer_the_styled_error_page(raising_client: TestClient) -> None:
    response = raising_client.get("/test/boom-page", headers={"accept": "text/html"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers[REQUEST_ID_HEADER] in response.text
    assert SECRET not in response.text and "Traceback" not in response.text


def test_a_well_formed_request_id_is_kept(raising_client: TestClient) -> None:
    response = raising_client.get("/docs", headers={REQUEST_ID_HEADER: "abc-123.X_y"})
    assert response.headers[REQUEST_ID_HEADER] == "abc-123.X_y"


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "new\tline", "ü"])
def test_a_malformed_request_id_is_replaced(bad: str) -> None:
    scope = {"headers": [(b"x-request-id", bad.encode())]}
    generated = request_id_for(scope)
    assert generated != bad and len(generated) == 32


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_raising_server() -> Iterator[int]:
    port = _free_port()
    config = uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_the_connection_stays_usable(live_raising_server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live_raising_server, timeout=10)
    connection.request("GET", "/api/v1/test/boom")
    first = connection.getresponse()
    assert first.status == 500 and b"request_id" in first.read()
    sock = connection.sock
    connection.request("GET", "/docs")  # the same keep-alive connection
    second = connection.getresponse()
    assert second.status == 200 and b"swagger-ui" in second.read()
    assert connection.sock is sock
    connection.close()
