"""Body limits, NUL characters and anonymous bodies, refused before the app reads them."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.limits import nul_errors
from app.main import create_app
from tests.core.test_faults import _free_port

LIMIT = 1_048_576
MB = 1024 * 1024


def _run_asgi(
    app: FastAPI, method: str, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, int, bytes]:
    """Call the app as a server would; return (status, chunks the app pulled, body)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= len(chunks):
            return {"type": "http.disconnect"}
        pulled += 1
        return {
            "type": "http.request",
            "body": chunks[pulled - 1],
            "more_body": pulled < len(chunks),
        }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    # A thread of its own: the browser suite's Playwright may leave a loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], pulled, body


@pytest.fixture(scope="module")
def bare_app() -> FastAPI:
    return create_app()


def test_a_declared_length_over_the_limit_is_refused_unread(bare_app: FastAPI) -> None:
    status, pulled, body = _run_asgi(
        bare_app,
        "POST",
        "/api/v1/score",
        {
            "content-type": "application/json",
            "content-length": str(20 * MB),
            "authorization": "Bearer whatever",
        },
        [b"{" * 1024] * 4,
    )
    assert status == 413 and pulled == 0
    assert json.loads(body)["detail"] == f"The request body is over the limit of {LIMIT} bytes"


def test_a_streamed_body_is_refused_at_the_first_chunk_past_the_limit(bare_app: FastAPI) -> None:
    chunk = b" " * (256 * 1024)
    status, pulled, _ = _run_asgi(
        bare_app,
        "POST",
        "/api/v1/score",
        {
            "content-type": "application/json",
            "transfer-encoding": "chunked",
            "authorization": "Bearer whatever",
        },
        [chunk] * 80,  # 20 MB
    )
    assert status == 413
    assert pulled == LIMIT // len(chunk) + 1  # not one chunk more


def test_forms_have_their_own_limit(bare_app: FastAPI) -> None:
    status, pulled, _ = _run_asgi(
        bare_app,
        "POST",
        "/login",
        {"content-type": "application/x-www-form-urlencoded", "content-length": str(2 * MB)},
        [b"a=" + b"b" * (2 * MB - 2)],
    )
    assert status == 413 and pulled == 0


def test_an_anonymous_body_for_a_protected_route_is_refused_before_reading(
    bare_app: FastAPI,
) -> None:
    status, pulled, body = _run_asgi(
        bare_app,
        "POST",
        "/api/v1/score",
        {"content-type": "application/json", "content-length": "1000"},
        [b" " * 1000],
    )
    assert status == 401 and pulled == 0
    assert json.loads(body)["detail"] == "Not authenticated"


def test_public_routes_still_read_their_body(bare_app: FastAPI) -> None:
    # The token endpoint needs no credentials: its body is read and checked as usual.
    status, pulled, body = _run_asgi(
        bare_app,
        "POST",
        "/api/v1/auth/token",
        {"content-type": "application/x-www-form-urlencoded", "content-length": "22"},
        [b"username=a%00&password"],
    )
    assert status == 422 and pulled == 1
    assert json.loads(body)["errors"][0]["loc"] == ["body", "username"]


@pytest.mark.parametrize(
    ("kind", "body", "loc"),
    [
        ("json", b'{"a": {"b": [1, "x\\u0000y"]}}', ["body", "a", "b", 1]),
        ("json", b'{"a": "ok", "b": "\\u0000"}', ["body", "b"]),
        ("json", b'{"k\\u0000": 1}', ["body"]),
        ("json", b'["\\u0000"]', ["body", 0]),
        ("form", b"title=ok&notes=a%00b", ["body", "notes"]),
        ("form", b"a%00=1", ["body"]),
        ("multipart", b"--b\r\n\x00\r\n--b--", ["body"]),
    ],
)
def test_nul_errors_are_located(kind: str, body: bytes, loc: list[object]) -> None:
    [error] = nul_errors(kind, body) or [{}]
    assert error["loc"] == loc and error["type"] == "string_nul"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("json", b'{"a": "\\\\u0000 is how you write it"}'),  # an escaped backslash: no NUL
        ("json", b'{"a": "\\u0000'),  # not JSON: the route's parser answers
        ("form", b"a=%2500"),
        ("other", b"\x00\x00"),
    ],
)
def test_no_false_alarms(kind: str, body: bytes) -> None:
    assert nul_errors(kind, body) is None


def test_nul_in_query_and_path(client: TestClient) -> None:
    response = client.get("/api/v1/rubrics/mini?version=1%00")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["errors"][0]["loc"] == ["query", "version"]
    assert client.get("/shared/abc%00def.pdf").status_code == 404


def test_a_nul_in_a_page_form_is_the_error_page(client: TestClient) -> None:
    response = client.post(
        "/login",
        data={"email": "a\x00@example.com", "password": "x"},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "email: must not contain the NUL character" in response.text


# --- a real server, real sockets ------------------------------------------------------


@pytest.fixture(scope="module")
def live_port() -> Iterator[int]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="critical")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _post_big(port: int, *, chunked: bool, auth: bool, size: int = 20 * MB) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Bearer not-checked-before-the-limit"
    piece = b" " * (64 * 1024)

    def body() -> Iterator[bytes]:
        for _ in range(size // len(piece)):
            yield piece

    try:
        if chunked:
            connection.request(
                "POST", "/api/v1/score", body=body(), headers=headers, encode_chunked=True
            )
        else:
            headers["Content-Length"] = str(size)
            connection.request("POST", "/api/v1/score", body=body(), headers=headers)
        return connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return -1  # the server answered and closed while we were still sending
    finally:
        connection.close()


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.mark.parametrize(
    ("chunked", "auth", "status"), [(False, True, 413), (True, True, 413), (True, False, 401)]
)
def test_a_real_20_mb_post_is_refused(
    live_port: int, chunked: bool, auth: bool, status: int
) -> None:
    started = time.monotonic()
    assert _post_big(live_port, chunked=chunked, auth=auth) in (status, -1)
    assert time.monotonic() - started < 10


def test_memory_stays_flat_under_concurrent_big_posts(live_port: int) -> None:
    baseline = _rss_bytes()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_bytes())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    posters = [
        threading.Thread(
            target=_post_big,
            kwargs={"port": live_port, "chunked": True, "auth": True, "size": 100 * MB},
        )
        for _ in range(6)
    ]
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join(timeout=60)
    done.set()
    sampler.join()
    # Six 100 MB bodies (600 MB) in flight: the server keeps at most the limit of each.
    assert peak - baseline < 60 * MB, f"RSS grew by {(peak - baseline) / MB:.0f} MB"
