"""One error format: problem details for JSON callers, the styled page for browsers."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.accounts.models import User
from app.core.deps import SessionDep
from app.core.errors import PROBLEM_MEDIA_TYPE, UNSTORABLE
from app.core.exceptions import Conflict, NotFound, TooManyRequests, problem_body
from app.main import create_app
from tests.fixtures.client import use_test_session

PROBLEM_KEYS = {"type", "title", "status", "detail"}


class Body(BaseModel):
    name: str = Field(max_length=5)
    count: int = Field(ge=0)


@pytest.fixture
def app(session: Session) -> FastAPI:
    """The real app plus routes that raise, registered in the test only."""
    app = create_app()

    @app.get("/api/v1/test/missing")
    async def missing() -> None:
        raise NotFound("No such thing")

    @app.get("/api/v1/test/conflict")
    async def conflict() -> None:
        raise Conflict("Changed elsewhere", current={"version": 4, "title": "now"})

    @app.get("/api/v1/test/throttled")
    async def throttled() -> None:
        raise TooManyRequests("Slow down", retry_after=42)

    @app.post("/api/v1/test/body")
    async def body(data: Body) -> dict[str, str]:
        return {"name": data.name}

    @app.get("/api/v1/test/overflow")
    def overflow(db: SessionDep) -> None:
        # Bypasses every request layer on purpose: the database backstop answers.
        if db.get_bind().dialect.name == "sqlite":
            db.exec(select(User).where(User.id == 2**70)).all()
        else:
            db.exec(select(User).where(User.email == "a\x00b")).all()

    use_test_session(app, session)
    return app


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status and body["type"] == "about:blank"
    return body


def test_problem_body_keeps_its_own_members() -> None:
    body = problem_body(409, "Stale", extra={"status": 200, "current": {"v": 1}})
    assert body == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "Stale",
        "current": {"v": 1},
    }


def test_domain_errors_are_problem_details(client: TestClient) -> None:
    body = _problem(client.get("/api/v1/test/missing"), 404)
    assert body["title"] == "Not Found" and body["detail"] == "No such thing"


def test_a_conflict_carries_the_current_state(client: TestClient) -> None:
    body = _problem(client.get("/api/v1/test/conflict"), 409)
    assert body["current"] == {"version": 4, "title": "now"}


def test_too_many_requests_keeps_retry_after(client: TestClient) -> None:
    response = client.get("/api/v1/test/throttled")
    body = _problem(response, 429)
    assert response.headers["retry-after"] == "42" and body["retry_after"] == 42


def test_validation_errors_are_located_and_never_echo(client: TestClient) -> None:
    secret = "my-secret-password-123"
    response = client.post("/api/v1/test/body", json={"name": secret, "count": -1})
    body = _problem(response, 422)
    assert {tuple(e["loc"]) for e in body["errors"]} == {("body", "name"), ("body", "count")}  # type: ignore[union-attr]
    for error in body["errors"]:  # type: ignore[union-attr]
        assert set(error) == {"loc", "msg", "type"}
    assert secret not in response.text


def test_invalid_json_is_a_located_problem(client: TestClient) -> None:
    response = client.post(
        "/api/v1/test/body", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    body = _problem(response, 422)
    assert body["errors"][0]["type"] == "json_invalid"  # type: ignore[index]


def test_unknown_paths_and_methods_are_problems(client: TestClient) -> None:
    _problem(client.get("/api/v1/nope"), 404)
    _problem(client.put("/api/v1/test/missing"), 405)


def test_browsers_get_the_styled_page(client: TestClient) -> None:
    response = client.get("/test-nope", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/css/app.css' in response.text
    assert '<link rel="stylesheet" href="/static/css/errors.css' in response.text
    assert '<h1 id="error-title">Page not found</h1>' in response.text
    assert "Error 404" in response.text and 'href="/login"' in response.text


def test_the_error_page_names_the_problem_in_words_and_keeps_our_detail(
    client: TestClient,
) -> None:
    page = client.get("/api/v1/test/missing", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith(
        "application/problem+json"
    )  # the API stays JSON, even for a browser
    conflict = client.get("/test-nope/<b>", headers={"accept": "text/html"})
    assert "&lt;b&gt;" not in conflict.text and "<b>" not in conflict.text


def test_redirects_stay_redirects(client: TestClient) -> None:
    response = client.get("/admin", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_value_the_database_cannot_hold_is_a_422_not_a_500(client: TestClient) -> None:
    body = _problem(client.get("/api/v1/test/overflow"), 422)
    assert body["detail"] == UNSTORABLE
    assert client.get("/healthz").status_code == 200  # and the session was rolled back
