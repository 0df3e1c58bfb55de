"""Web sessions: the login form, cookie attributes, rotation, expiry, logout, CSRF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.accounts import cookies, csrf
from app.accounts.credentials import hash_secret
from app.accounts.models import User, WebSession
from app.core.config import Settings, get_settings
from app.core.deps import current_settings
from app.core.timeutils import utcnow
from tests.fixtures.factories import PASSWORD, BrowserSession, csrf_from_page

Login = Callable[..., str]
SESSION_COOKIE = "stepwise_session"


def _login_form(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return csrf_from_page(page.text)


def _send_login(
    client: TestClient,
    email: str,
    token: str,
    *,
    password: str = PASSWORD,
    headers: dict[str, str] | None = None,
    **extra: str,
) -> Response:
    """POST the login form with ``token`` as its CSRF field (not following the redirect)."""
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, **extra},
        headers=headers,
        follow_redirects=False,
    )


def _post_login(client: TestClient, email: str, password: str = PASSWORD, **extra: str) -> Response:
    return _send_login(client, email, _login_form(client), password=password, **extra)


def test_login_page_sets_a_presession_csrf_cookie(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    set_cookie = page.headers["set-cookie"]
    assert set_cookie.startswith("stepwise_csrf=")
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie
    assert "Secure" not in set_cookie  # plain http in tests
    assert csrf_from_page(page.text) == client.cookies.get("stepwise_csrf")


def test_login_sets_a_secure_session_cookie_and_redirects(
    client: TestClient, participant: User
) -> None:
    response = _post_login(client, participant.email.upper())
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/"  # type: ignore[attr-defined]
    set_cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    for attribute in ("HttpOnly", "Path=/", "SameSite=lax", "Max-Age=43200"):
        assert attribute in set_cookie
    assert client.get("/api/v1/me").json()["email"] == participant.email


def test_session_ids_are_stored_hashed(
    client: TestClient, participant: User, session: Session
) -> None:
    _post_login(client, participant.email)
    secret = client.cookies.get(SESSION_COOKIE)
    assert secret
    hashes = session.exec(select(WebSession.session_hash)).all()
    assert secret not in hashes and hash_secret(secret) in hashes


def test_login_without_or_with_a_wrong_csrf_token_is_refused(
    client: TestClient, participant: User
) -> None:
    form = {"email": participant.email, "password": PASSWORD}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 403
    token = _login_form(client)
    missing = client.post("/login", data=form, follow_redirects=False)
    assert missing.status_code == 403
    assert "security token" in missing.text
    # One character changed, and really changed (a token may already end in "0").
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    wrong = client.post("/login", data={**form, "csrf_token": altered})
    assert wrong.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_a_forged_presession_token_is_refused(client: TestClient, participant: User) -> None:
    """Equal cookie and field are not enough: the value must carry our signature."""
    forged = "attacker-chosen.1700000000.deadbeef"
    response = _send_login(
        client, participant.email, forged, headers={"Cookie": f"stepwise_csrf={forged}"}
    )
    assert response.status_code == 403


def test_presession_tokens_expire() -> None:
    key = "k" * 40
    token = csrf.new_presession_token(key=key)
    assert csrf.presession_token_valid(token, key=key, max_age_seconds=60)
    assert not csrf.presession_token_valid(token, key="other" * 10, max_age_seconds=60)
    value, _, _ = token.rpartition(".")
    random_part = value.rsplit(".", 1)[0]
    old_value = f"{random_part}.1000"
    old = f"{old_value}.{csrf.sign(old_value, key=key, purpose='presession-csrf')}"
    assert not csrf.presession_token_valid(old, key=key, max_age_seconds=60)


def test_wrong_password_rerenders_the_form_with_401(client: TestClient, participant: User) -> None:
    response = _post_login(client, participant.email, "wrong-password")
    assert response.status_code == 401  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "Incorrect email or password." in text
    assert "wrong-password" not in text
    assert f'value="{participant.email}"' in text
    assert SESSION_COOKIE not in client.cookies


def test_login_rotates_the_session_id(
    client: TestClient, participant: User, session: Session
) -> None:
    token = _login_form(client)
    assert _send_login(client, participant.email, token).status_code == 303
    first = client.cookies.get(SESSION_COOKIE)
    # Signing in again from the same browser (e.g. a second tab's login form).
    assert _send_login(client, participant.email, token).status_code == 303
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    # The old id is gone from the database, so a copy of it is worthless.
    old_row = session.exec(
        select(WebSession).where(WebSession.session_hash == hash_secret(first))
    ).first()
    assert old_row is None
    stale = client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={first}"})
    assert stale.status_code == 401
    assert client.get("/api/v1/me").status_code == 200


def test_a_planted_session_id_is_never_adopted(
    client: TestClient, participant: User, browser_session: Callable[[User], BrowserSession]
) -> None:
    """Session fixation: whatever id the browser arrives with is replaced at login."""
    victim_planted = browser_session(participant)  # even a real, valid id
    token = _login_form(client)
    for planted in ("planted-by-attacker", victim_planted.secret):
        response = _send_login(
            client,
            participant.email,
            token,
            headers={"Cookie": f"stepwise_csrf={token}; {SESSION_COOKIE}={planted}"},
        )
        assert response.status_code == 303
        assert response.cookies[SESSION_COOKIE] != planted
        reuse = client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={planted}"})
        assert reuse.status_code == 401


@pytest.mark.parametrize(
    ("next_", "location"),
    [
        ("/admin/assignments?done=assigned", "/admin/assignments?done=assigned"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_only_allows_local_paths(
    client: TestClient, participant: User, next_: str, location: str
) -> None:
    response = _post_login(client, participant.email, next=next_)
    assert response.headers["location"] == location  # type: ignore[attr-defined]


def test_pages_send_anonymous_browsers_to_login_and_back(client: TestClient, admin: User) -> None:
    response = client.get("/admin/assignments?done=assigned", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fassignments%3Fdone%3Dassigned"
    page = client.get(response.headers["location"])
    assert 'name="next" value="/admin/assignments?done=assigned"' in page.text
    done = client.post(
        "/login",
        data={
            "email": admin.email,
            "password": PASSWORD,
            "csrf_token": csrf_from_page(page.text),
            "next": "/admin/assignments?done=assigned",
        },
    )
    assert done.status_code == 200
    assert "Coach assigned." in done.text


def test_login_page_redirects_a_signed_in_browser(
    client: TestClient, participant: User, login: Login
) -> None:
    login(client, participant)
    response = client.get("/login?next=/admin", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin"


def test_expired_sessions_are_rejected(
    client: TestClient, participant: User, login: Login, session: Session
) -> None:
    login(client, participant)
    row = session.exec(select(WebSession).where(WebSession.user_id == participant.id)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_logout_deletes_the_session_and_clears_the_cookie(
    client: TestClient, participant: User, login: Login, session: Session
) -> None:
    token = login(client, participant)
    secret = client.cookies.get(SESSION_COOKIE)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert session.exec(select(WebSession).where(WebSession.user_id == participant.id)).all() == []
    reused = client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={secret}"})
    assert reused.status_code == 401


def test_logout_needs_the_csrf_token(client: TestClient, participant: User, login: Login) -> None:
    login(client, participant)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert client.get("/api/v1/me").status_code == 200  # still signed in


def test_csrf_token_in_a_header_works_for_fetch(
    client: TestClient, admin: User, participant: User, login: Login
) -> None:
    token = login(client, admin)
    url = f"/api/v1/users/{participant.id}"
    assert client.patch(url, json={"display_name": "Pat"}).status_code == 403
    wrong = client.patch(url, json={"display_name": "Pat"}, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    ok = client.patch(url, json={"display_name": "Pat"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["display_name"] == "Pat"


def test_another_sessions_csrf_token_does_not_fit(
    client: TestClient,
    admin: User,
    login: Login,
    browser_session: Callable[[User], BrowserSession],
    participant: User,
) -> None:
    login(client, admin)
    other = browser_session(admin)  # a second browser of the same admin
    response = client.patch(
        f"/api/v1/users/{participant.id}", json={"display_name": "X"}, headers=other.csrf_headers
    )
    assert response.status_code == 403


def test_pages_expose_the_session_token_in_meta_and_forms(
    client: TestClient, admin: User, login: Login
) -> None:
    token = login(client, admin)
    page = client.get("/admin")
    assert f'<meta name="csrf-token" content="{token}">' in page.text
    assert f'<input type="hidden" name="csrf_token" value="{token}">' in page.text


def test_a_bad_bearer_token_is_not_rescued_by_the_cookie(
    client: TestClient, participant: User, login: Login
) -> None:
    login(client, participant)
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer revoked-or-wrong"})
    assert response.status_code == 401


@pytest.fixture
def https_client(app: FastAPI) -> Iterator[TestClient]:
    settings = Settings(**{**get_settings().model_dump(), "https": True})
    app.dependency_overrides[current_settings] = lambda: settings
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_over_https_cookies_are_secure_with_the_host_prefix(
    https_client: TestClient, participant: User
) -> None:
    page = https_client.get("/login")
    assert page.headers["set-cookie"].startswith("__Host-stepwise_csrf=")
    assert "Secure" in page.headers["set-cookie"]
    response = _send_login(https_client, participant.email, csrf_from_page(page.text))
    assert response.status_code == 303
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith("__Host-stepwise_session=")
    assert "Secure" in set_cookie and "Path=/" in set_cookie and "Domain" not in set_cookie
    assert https_client.get("/api/v1/me").status_code == 200
    # The plain-http cookie name means nothing in https mode.
    plain = https_client.get(
        "/api/v1/me",
        headers={"Cookie": f"stepwise_session={response.cookies['__Host-stepwise_session']}"},
    )
    assert plain.status_code == 401


def test_cookie_names_follow_the_https_setting() -> None:
    assert cookies.cookie_name(cookies.SESSION, settings=Settings(https=False)) == SESSION_COOKIE
    assert (
        cookies.cookie_name(cookies.SESSION, settings=Settings(https=True))
        == "__Host-stepwise_session"
    )
