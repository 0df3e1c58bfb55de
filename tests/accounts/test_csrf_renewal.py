"""``GET /api/v1/auth/csrf``: how a page's scripts learn the token of a newer session."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.accounts.models import User
from tests.fixtures.factories import PASSWORD

Login = Callable[..., str]
URL = "/api/v1/auth/csrf"


def test_answers_the_sessions_token_uncached(
    client: TestClient, participant: User, login: Login
) -> None:
    token = login(client, participant)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"csrf_token": token}
    assert response.headers["cache-control"] == "no-store"


def test_after_signing_in_anew_the_new_token_is_the_one_that_works(
    client: TestClient, admin: User, participant: User, login: Login
) -> None:
    """The case it exists for: a page still holds the old session's token."""
    old = login(client, admin)
    # Signed out and in again in another tab: a new session with a new token.
    assert client.post("/logout", data={"csrf_token": old}).status_code in {200, 303}
    new = login(client, admin)
    assert new != old
    url = f"/api/v1/users/{participant.id}"
    stale = client.patch(url, json={"display_name": "Pat"}, headers={"X-CSRF-Token": old})
    assert stale.status_code == 403
    renewed = client.get(URL).json()["csrf_token"]
    assert renewed == new
    ok = client.patch(url, json={"display_name": "Pat"}, headers={"X-CSRF-Token": renewed})
    assert ok.status_code == 200


def test_anonymous_gets_401_and_no_token(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert "csrf_token" not in response.json()


def test_a_bearer_caller_needs_no_token(client: TestClient, participant: User) -> None:
    issued = client.post(
        "/api/v1/auth/token", data={"username": participant.email, "password": PASSWORD}
    )
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    response = client.get(URL, headers=bearer)
    assert response.status_code == 200
    assert response.json() == {"csrf_token": None}
