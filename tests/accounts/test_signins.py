"""The sessions page and ``/api/v1/me/sessions``, ``/api/v1/me/tokens``.

One's own only, and ended at once (the next request with it is anonymous).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import ApiToken, Role, User, WebSession
from app.accounts.signins import describe_device
from tests.fixtures.factories import UserFactory, csrf_from_page

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
Login = Callable[..., str]


@pytest.fixture
def second_client(app: FastAPI) -> Iterator[TestClient]:
    """Another browser of the same person (no second lifespan: one job runner is enough)."""
    other = TestClient(app)
    yield other
    other.close()


def test_device_summaries() -> None:
    assert describe_device(FIREFOX) == "Firefox on Linux"
    assert describe_device(IPHONE) == "Safari on iOS"
    assert describe_device(None) == "Unknown browser"
    assert describe_device("<script>") == "Other browser"


def test_device_summaries_in_german() -> None:
    assert describe_device(FIREFOX, "de") == "Firefox unter Linux"
    assert describe_device(None, "de") == "Unbekannter Browser"
    assert describe_device("python-httpx/0.27", "de") == "ein Skript"


def test_page_lists_own_sessions_and_ends_another_at_once(
    client: TestClient,
    second_client: TestClient,
    login: Login,
    participant: User,
    session: Session,
) -> None:
    client.headers["User-Agent"] = FIREFOX
    second_client.headers["User-Agent"] = IPHONE
    login(client, participant)
    login(second_client, participant)
    page = client.get("/account/sessions")
    assert page.status_code == 200
    assert "Firefox on Linux" in page.text and "Safari on iOS" in page.text
    assert page.text.count("this device") == 1
    rows = session.exec(select(WebSession).where(WebSession.user_id == participant.id)).all()
    other = next(r for r in rows if r.user_agent == IPHONE)
    ended = client.post(
        f"/account/sessions/{other.id}/end",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert ended.headers["location"] == "/account/sessions?done=ended"
    # The other browser is signed out on its very next request.
    assert second_client.get("/account/sessions", follow_redirects=False).status_code == 303
    assert client.get("/account/sessions").status_code == 200


def test_end_all_other_sessions_keeps_this_one(
    client: TestClient, second_client: TestClient, login: Login, participant: User
) -> None:
    login(client, participant)
    login(second_client, participant)
    page = client.get("/account/sessions")
    response = client.post(
        "/account/sessions/end-others",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert second_client.get("/account/sessions", follow_redirects=False).status_code == 303
    after = client.get(response.headers["location"])
    assert after.status_code == 200
    assert "Every other session is ended." in after.text


def test_ending_this_session_signs_out(client: TestClient, login: Login, participant: User) -> None:
    login(client, participant)
    sessions = client.get("/api/v1/me/sessions").json()
    assert [s["current"] for s in sessions] == [True]
    page = client.get("/account/sessions")
    response = client.post(
        f"/account/sessions/{sessions[0]['id']}/end",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login"
    assert client.get("/account/sessions", follow_redirects=False).status_code == 303


def test_another_persons_session_and_token_answer_404(
    client: TestClient,
    second_client: TestClient,
    login: Login,
    make_user: UserFactory,
    auth_headers: Callable[[User], dict[str, str]],
    session: Session,
) -> None:
    owner = make_user(Role.participant)
    stranger = make_user(Role.participant)
    login(second_client, owner)
    owner_headers = auth_headers(owner)
    owner_session = session.exec(select(WebSession).where(WebSession.user_id == owner.id)).one()
    owner_token = session.exec(select(ApiToken).where(ApiToken.user_id == owner.id)).one()
    headers = auth_headers(stranger)
    for url in (
        f"/api/v1/me/sessions/{owner_session.id}",
        f"/api/v1/me/tokens/{owner_token.id}",
    ):
        assert client.delete(url, headers=headers).status_code == 404
    assert client.get("/api/v1/me/sessions", headers=headers).json() == []
    # Untouched: the owner is still signed in, on both ways in.
    assert second_client.get("/account/sessions").status_code == 200
    assert client.get("/api/v1/me/tokens", headers=owner_headers).status_code == 200


def test_api_lists_and_revokes_tokens_at_once(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    first = auth_headers(participant)
    second = auth_headers(participant)
    listed = client.get("/api/v1/me/tokens", headers=first).json()
    assert len(listed) == 2
    assert sum(t["current"] for t in listed) == 1
    assert set(listed[0]) == {"id", "created_at", "expires_at", "current"}  # no secret
    other = next(t for t in listed if not t["current"])
    assert client.delete(f"/api/v1/me/tokens/{other['id']}", headers=first).status_code == 204
    assert client.get("/api/v1/me/tokens", headers=second).status_code == 401
    assert client.delete(f"/api/v1/me/tokens/{other['id']}", headers=first).status_code == 404


def test_api_ends_sessions(
    client: TestClient,
    second_client: TestClient,
    login: Login,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
) -> None:
    login(second_client, participant)
    headers = auth_headers(participant)
    listed = client.get("/api/v1/me/sessions", headers=headers).json()
    assert len(listed) == 1 and listed[0]["current"] is False
    ended = client.delete("/api/v1/me/sessions", headers=headers)
    assert ended.json() == {"ended": 1}
    assert second_client.get("/account/sessions", follow_redirects=False).status_code == 303


def test_page_revokes_a_token(
    client: TestClient,
    login: Login,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
    session: Session,
) -> None:
    headers = auth_headers(participant)
    login(client, participant)
    page = client.get("/account/sessions")
    token = session.exec(select(ApiToken).where(ApiToken.user_id == participant.id)).one()
    assert f'id="token-{token.id}"' in page.text
    response = client.post(
        f"/account/sessions/tokens/{token.id}/revoke",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/api/v1/me/tokens", headers=headers).status_code == 401
