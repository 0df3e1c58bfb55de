"""Helpers for the assessment tests: the rubrics as the server stores them, an API caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.accounts.models import User
from app.rubrics.schemas import Rubric
from app.rubrics.service import get_rubric_version, rubric_of

Headers = Callable[[User], dict[str, str]]


@pytest.fixture
def product_owner(session: Session) -> Rubric:
    return rubric_of(get_rubric_version(session=session, rubric_id="product-owner"))


@pytest.fixture
def mini(session: Session) -> Rubric:
    return rubric_of(get_rubric_version(session=session, rubric_id="mini"))


class Api:
    """A user's view of the API: their bearer token on every call."""

    def __init__(self, client: TestClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers

    def call(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Response:
        return self.client.request(
            method, url, headers={**self.headers, **(headers or {})}, **kwargs
        )

    def create(self, rubric_id: str = "product-owner", **extra: Any) -> dict[str, Any]:
        response = self.call("POST", "/api/v1/assessments", json={"rubric_id": rubric_id, **extra})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def patch(
        self, assessment_id: int, version: int | None, responses: dict[str, Any], **kwargs: Any
    ) -> Response:
        body: dict[str, Any] = {"responses": responses}
        if version is not None:
            body["version"] = version
        return self.call(
            "PATCH", f"/api/v1/assessments/{assessment_id}/responses", json=body, **kwargs
        )

    def submit(self, assessment_id: int, version: int) -> Response:
        return self.call(
            "POST", f"/api/v1/assessments/{assessment_id}/submit", json={"version": version}
        )


@pytest.fixture
def api_for(client: TestClient, auth_headers: Headers, session: Session) -> Callable[[User], Api]:
    def make(user: User) -> Api:
        headers = auth_headers(user)
        # Commit (a savepoint release in tests) so the user and token exist like real
        # ones: a request that fails rolls back only its own work, not them.
        session.commit()
        return Api(client, headers)

    return make


def all_answers(rubric: Rubric, value: int | str | None = None) -> dict[str, int | str]:
    """A complete questionnaire: every item at ``value`` (default: the scale's top)."""
    answer = rubric.scale.max if value is None else value
    return dict.fromkeys(rubric.items_by_id, answer)
