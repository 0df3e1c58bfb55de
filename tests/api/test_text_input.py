"""Text input: no NUL reaches the database, and no error echoes what was sent.

PostgreSQL cannot store U+0000 in text (it was a 500 in every text field);
``app.core.limits`` refuses it with a located 422 wherever it comes in --
JSON bodies, forms, query strings -- before any route or query runs. Runs on
SQLite and, with ``STEPWISE_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.accounts.models import User
from app.core.errors import PROBLEM_MEDIA_TYPE

NUL = "a\x00b"

JSON_FIELDS: list[tuple[str, str, dict[str, Any], list[Any]]] = [
    ("POST", "/api/v1/assessments", {"rubric_id": "mini", "title": NUL}, ["body", "title"]),
    ("POST", "/api/v1/assessments", {"rubric_id": NUL}, ["body", "rubric_id"]),
    (
        "POST",
        "/api/v1/score",
        {"rubric_id": "mini", "responses": {"pl-1": NUL}},
        ["body", "responses", "pl-1"],
    ),
    ("PATCH", "/api/v1/users/1", {"display_name": NUL}, ["body", "display_name"]),
    ("POST", "/api/v1/users", {"email": NUL, "roles": ["participant"]}, ["body", "email"]),
    ("PATCH", "/api/v1/reviews/1", {"version": 1, "shared_notes": NUL}, ["body", "shared_notes"]),
    ("PATCH", "/api/v1/reviews/1", {"version": 1, "private_notes": NUL}, ["body", "private_notes"]),
    (
        "PATCH",
        "/api/v1/reviews/1",
        {"ratings": {"b1": {"rationale": NUL}}},
        ["body", "ratings", "b1", "rationale"],
    ),
    ("POST", "/api/v1/reviews/1/plan-actions", {"title": NUL}, ["body", "title"]),
    (
        "PATCH",
        "/api/v1/plan-actions/1",
        {"version": 1, "success_measure": NUL},
        ["body", "success_measure"],
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "loc"), JSON_FIELDS)
def test_a_nul_in_json_text_is_a_located_422(
    client: TestClient,
    admin: User,
    auth_headers: Callable[[User], dict[str, str]],
    method: str,
    url: str,
    body: dict[str, Any],
    loc: list[Any],
) -> None:
    response = client.request(method, url, json=body, headers=auth_headers(admin))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["errors"] == [
        {"loc": loc, "msg": "must not contain the NUL character (U+0000)", "type": "string_nul"}
    ]


def test_the_token_endpoint_refuses_a_nul_unauthenticated(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "a\x00@example.com", "password": "x" * 12}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "username"]
    multipart = client.post(
        "/api/v1/auth/token",
        files={"username": (None, "a\x00@example.com"), "password": (None, "x" * 12)},
    )
    assert multipart.status_code == 422


def test_a_nul_in_a_query_string_is_a_located_422(
    client: TestClient, admin: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    response = client.get(
        "/api/v1/rubrics/mini", params={"version": NUL}, headers=auth_headers(admin)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "version"]


def test_a_nul_in_a_path_is_not_found(client: TestClient) -> None:
    assert client.post("/api/v1/invitations/abc%00/accept", json={}).status_code == 404
    assert client.get("/shared/a%00b.pdf").status_code == 404


def test_ordinary_text_still_saves(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    title = "Q3 \u2014 \\u0000 is how JSON spells NUL"
    response = client.post(
        "/api/v1/assessments",
        json={"rubric_id": "mini", "title": title},
        headers=auth_headers(participant),
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == title


SECRET = "my-secret-password-123"


@pytest.mark.parametrize(
    "responses",
    [{"pm-vs-1a": SECRET}, {"pl-1": SECRET}, {"pl-1": [SECRET]}, {"pl-1": {"x": SECRET}}],
)
def test_score_errors_never_echo_the_answer(
    client: TestClient,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
    responses: dict[str, Any],
) -> None:
    response = client.post(
        "/api/v1/score",
        json={"rubric_id": "mini", "responses": responses},
        headers=auth_headers(participant),
    )
    assert response.status_code == 422
    assert SECRET not in response.text


def test_a_huge_answer_is_not_sent_back(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    big = "x" * 900_000  # under the 1 MiB body limit, so the route itself answers
    response = client.post(
        "/api/v1/score",
        json={"rubric_id": "mini", "responses": {"pl-1": big}},
        headers=auth_headers(participant),
    )
    assert response.status_code == 422
    assert len(response.content) < 2_000
    over = client.post(
        "/api/v1/score",
        json={"rubric_id": "mini", "responses": {"pl-1": "x" * 2_000_000}},
        headers=auth_headers(participant),
    )
    assert over.status_code == 413 and len(over.content) < 500


def test_pydantic_errors_never_carry_input_or_ctx(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    response = client.post(
        "/api/v1/assessments",
        json={"rubric_id": SECRET * 10, "title": SECRET * 100},
        headers=auth_headers(participant),
    )
    assert response.status_code == 422
    for error in response.json()["errors"]:
        assert set(error) == {"loc", "msg", "type"}
    assert SECRET not in response.text
