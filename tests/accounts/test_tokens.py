"""Bearer tokens: issuing with the password grant, expiry, revocation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.credentials import hash_secret
from app.accounts.models import ApiToken, User
from app.core.timeutils import utcnow
from tests.fixtures.factories import PASSWORD, BrowserSession

Headers = Callable[[User], dict[str, str]]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 24 * 3600
    return str(body["access_token"])


def test_password_grant_issues_a_token_that_opens_the_api(
    client: TestClient, participant: User
) -> None:
    token = _token(client, participant.email)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": participant.id,
        "email": participant.email,
        "display_name": participant.display_name,
        "roles": ["participant"],
    }


def test_email_is_case_insensitive(client: TestClient, participant: User) -> None:
    assert _token(client, f"  {participant.email.upper()} ")


def test_tokens_are_stored_hashed(client: TestClient, participant: User, session: Session) -> None:
    token = _token(client, participant.email)
    stored = session.exec(select(ApiToken.token_hash)).all()
    assert token not in stored
    assert hash_secret(token) in stored


def test_wrong_password_and_unknown_email_get_the_same_401(
    client: TestClient, participant: User
) -> None:
    wrong = client.post(
        "/api/v1/auth/token", data={"username": participant.email, "password": "nope-nope-nope"}
    )
    unknown = client.post(
        "/api/v1/auth/token", data={"username": "nobody@example.test", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "Incorrect email or password."
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_an_invited_user_without_a_password_cannot_get_a_token(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    invited = make_user(password=None)
    response = client.post("/api/v1/auth/token", data={"username": invited.email, "password": ""})
    assert response.status_code in (401, 422)
    response = client.post(
        "/api/v1/auth/token", data={"username": invited.email, "password": PASSWORD}
    )
    assert response.status_code == 401


def test_expired_token_is_refused(
    client: TestClient, participant: User, auth_headers: Headers, session: Session
) -> None:
    headers = auth_headers(participant)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = session.exec(select(ApiToken).where(ApiToken.user_id == participant.id)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token)
    session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "Not authenticated"


def test_revoked_token_is_refused(client: TestClient, participant: User) -> None:
    headers = {"Authorization": f"Bearer {_token(client, participant.email)}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    # Revoking one token leaves the user's other tokens alone.
    other = {"Authorization": f"Bearer {_token(client, participant.email)}"}
    assert client.get("/api/v1/me", headers=other).status_code == 200


def test_garbage_and_missing_tokens_are_401(client: TestClient) -> None:
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_deactivated_users_tokens_stop_working(
    client: TestClient, participant: User, admin: User, auth_headers: Headers
) -> None:
    headers = auth_headers(participant)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    deactivate = client.patch(
        f"/api/v1/users/{participant.id}", json={"is_active": False}, headers=auth_headers(admin)
    )
    assert deactivate.status_code == 200 and deactivate.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_reactivating_a_user_does_not_bring_old_credentials_back(
    client: TestClient,
    participant: User,
    admin: User,
    auth_headers: Headers,
    browser_session: Callable[[User], BrowserSession],
    session: Session,
) -> None:
    """Deactivation revokes every token and ends every session for good."""
    token = auth_headers(participant)
    browser = browser_session(participant)
    assert client.get("/api/v1/me", headers=token).status_code == 200
    assert client.get("/api/v1/me", headers=browser.cookie_header).status_code == 200
    url = f"/api/v1/users/{participant.id}"
    admin_headers = auth_headers(admin)
    assert client.patch(url, json={"is_active": False}, headers=admin_headers).status_code == 200
    revoked = session.exec(select(ApiToken).where(ApiToken.user_id == participant.id)).all()
    assert revoked and all(t.revoked_at is not None for t in revoked)
    assert client.patch(url, json={"is_active": True}, headers=admin_headers).status_code == 200
    assert client.get("/api/v1/me", headers=token).status_code == 401
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=browser.cookie_header).status_code == 401
    # The person signs in afresh and gets a working token.
    assert (
        client.get("/api/v1/me", headers=_bearer(_token(client, participant.email))).status_code
        == 200
    )


def test_role_changes_keep_the_persons_sign_ins(
    client: TestClient, participant: User, admin: User, auth_headers: Headers
) -> None:
    """Roles are read on every request: a change applies at once, nobody is signed out."""
    token = auth_headers(participant)
    url = f"/api/v1/users/{participant.id}"
    changed = client.patch(url, json={"roles": ["coach"]}, headers=auth_headers(admin))
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=token).json()["roles"] == ["coach"]
