"""Helpers for the coaching tests: submitted assessments and an API caller per user.

Assessments are made through the assessments service (create, save, submit),
exactly as a participant would, so reviews sit on real stored results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.accounts import cookies, sessions
from app.accounts.models import User
from app.assessments import service as assessments
from app.core.config import get_settings
from app.rubrics.schemas import Rubric
from app.rubrics.service import get_rubric_version, rubric_of

Headers = Callable[[User], dict[str, str]]

#: Answers to ``mini`` (scale 0..4, threshold 3) with a known outcome:
#: planning reaches practitioner (2) and stops at expert; review stops at
#: novice (0) although its expert items are endorsed: inconsistent.
MINI_ANSWERS: dict[str, int] = {
    "pl-1": 4, "pl-2a": 4, "pl-2b": 3, "pl-3": 1,
    "rv-1": 1, "rv-3a": 4, "rv-3b": 4,
}  # fmt: skip


@pytest.fixture
def mini(session: Session) -> Rubric:
    return rubric_of(get_rubric_version(session=session, rubric_id="mini"))


@pytest.fixture
def product_owner(session: Session) -> Rubric:
    return rubric_of(get_rubric_version(session=session, rubric_id="product-owner"))


SubmitFactory = Callable[..., int]


@pytest.fixture
def submitted(session: Session) -> SubmitFactory:
    """``submitted(participant, answers=MINI_ANSWERS, rubric_id="mini")`` -> assessment id."""

    def make(
        participant: User,
        answers: Mapping[str, int | str] | None = None,
        rubric_id: str = "mini",
    ) -> int:
        state = assessments.create_assessment(
            session=session, user=participant, rubric_id=rubric_id
        )
        values = dict(MINI_ANSWERS if answers is None else answers)
        state = assessments.save_responses(
            session=session,
            user=participant,
            assessment_id=state.id,
            expected_version=state.version,
            responses=values,
        )
        state = assessments.submit_assessment(
            session=session,
            user=participant,
            assessment_id=state.id,
            expected_version=state.version,
        )
        session.commit()
        return state.id

    return make


class Api:
    """One user's view of the API: their bearer token on every call."""

    def __init__(self, client: TestClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers

    def call(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Response:
        return self.client.request(
            method, f"/api/v1{url}", headers={**self.headers, **(headers or {})}, **kwargs
        )

    def ok(self, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(method, url, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def start(self, assessment_id: int) -> dict[str, Any]:
        body: dict[str, Any] = self.ok("POST", f"/assessments/{assessment_id}/reviews", 201)
        return body

    def save(
        self,
        review_id: int,
        version: int | None,
        *,
        headers: dict[str, str] | None = None,
        **body: Any,
    ) -> Response:
        if version is not None:
            body["version"] = version
        return self.call("PATCH", f"/reviews/{review_id}", json=body, headers=headers)


@pytest.fixture
def api_for(client: TestClient, auth_headers: Headers, session: Session) -> Callable[[User], Api]:
    def make(user: User) -> Api:
        headers = auth_headers(user)
        # Commit (a savepoint release in tests) so the user and token survive a
        # failing request's rollback, as real ones would.
        session.commit()
        return Api(client, headers)

    return make


def rate_all(rubric: Rubric, level: int = 1) -> dict[str, dict[str, int]]:
    """A ratings patch giving every behavior ``level`` (a level each behavior defines)."""
    return {b.id: {"coach_level": level} for c in rubric.competencies for b in c.behaviors}


class Browser:
    """One signed-in person's browser without JavaScript: session cookie + CSRF token."""

    def __init__(self, client: TestClient, csrf_token: str):
        self.client = client
        self.csrf = csrf_token

    def get(self, url: str) -> Response:
        return self.client.get(url, headers={"Accept": "text/html"}, follow_redirects=False)

    def post(self, url: str, data: Mapping[str, str] | list[tuple[str, str]]) -> Response:
        fields = list(data.items()) if isinstance(data, Mapping) else list(data)
        fields.append(("csrf_token", self.csrf))
        return self.client.post(
            url,
            content=urlencode(fields),
            follow_redirects=False,
            headers={"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"},
        )


@pytest.fixture
def browser_for(app: FastAPI, session: Session) -> Iterator[Callable[[User], Browser]]:
    clients: list[TestClient] = []

    def make(user: User) -> Browser:
        started = sessions.start_session(session=session, user=user, ttl=timedelta(hours=1))
        session.commit()
        client = TestClient(app)
        client.cookies.set(
            cookies.cookie_name(cookies.SESSION, settings=get_settings()), started.secret
        )
        clients.append(client)
        return Browser(client, started.row.csrf_token)

    yield make
    for client in clients:
        client.close()
