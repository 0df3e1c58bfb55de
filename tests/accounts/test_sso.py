"""Single sign-on against a real OpenID provider (node-oidc-provider, tests/fixtures/oidc.py).

Our app runs in the TestClient (``http://testserver``); the provider is a real
process; :class:`ProviderBrowser` is the person's browser at the provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts import cookies
from app.accounts.models import Role, User
from app.accounts.sso_models import SsoIdentity, SsoLoginAttempt
from app.core.config import Settings, get_settings
from app.core.deps import current_settings
from tests.fixtures.factories import PASSWORD, UserFactory, csrf_from_page
from tests.fixtures.oidc import APP_BASE, CLIENT_ID, CLIENT_SECRET, OidcProvider, ProviderBrowser

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def sso_settings(app: FastAPI, oidc_provider: OidcProvider) -> SettingsFactory:
    """Configure SSO on the test app: ``sso_settings(create_users=True, ...)``."""

    def configure(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "base_url": APP_BASE,
            "oidc_issuer": oidc_provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_display_name": "Test IdP",
        }
        values.update({f"oidc_{name}": value for name, value in overrides.items()})
        settings = Settings(**values)  # type: ignore[arg-type]
        app.dependency_overrides[current_settings] = lambda: settings
        return settings

    configure()
    return configure


@pytest.fixture
def sso_client(client: TestClient, sso_settings: SettingsFactory) -> TestClient:
    return client


@pytest.fixture
def provider(oidc_provider: OidcProvider) -> Iterator[ProviderBrowser]:
    browser = ProviderBrowser(issuer=oidc_provider.issuer)
    yield browser
    browser.client.close()


def start(client: TestClient) -> str:
    response = client.get("/login/sso", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def session_cookie(client: TestClient) -> str | None:
    return client.cookies.get(cookies.cookie_name(cookies.SESSION, settings=get_settings()))


def come_back(client: TestClient, callback_url: str):  # type: ignore[no-untyped-def]
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}" == APP_BASE, callback_url
    return client.get(urlunsplit(("", "", parts.path, parts.query, "")), follow_redirects=False)


def sign_in(client: TestClient, provider: ProviderBrowser, login: str):  # type: ignore[no-untyped-def]
    return come_back(client, provider.sign_in(start(client), login))


def sign_in_with_changed_attempt(  # type: ignore[no-untyped-def]
    client: TestClient, provider: ProviderBrowser, session: Session, **changes: str
):
    """Ada signs in while the stored attempt says something else than what was sent."""
    url = start(client)
    attempt = session.exec(select(SsoLoginAttempt)).one()
    for name, value in changes.items():
        setattr(attempt, name, value)
    session.add(attempt)
    session.commit()
    return come_back(client, provider.sign_in(url, "ada"))


def test_the_login_page_offers_the_button(sso_client: TestClient) -> None:
    page = sso_client.get("/login")
    assert 'id="sso-login"' in page.text
    assert "Sign in with Test IdP" in page.text


def test_authorization_request_uses_pkce_state_and_nonce(
    sso_client: TestClient, session: Session
) -> None:
    query = parse_qs(urlsplit(start(sso_client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"]
    assert len(query["state"][0]) >= 40 and len(query["nonce"][0]) >= 40
    assert query["redirect_uri"] == [f"{APP_BASE}/login/sso/callback"]
    rows = session.exec(select(SsoLoginAttempt)).all()
    assert len(rows) == 1
    assert rows[0].state_hash != query["state"][0]  # only its hash is stored


def test_existing_user_signs_in_by_verified_email(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory, session: Session
) -> None:
    ada = make_user(Role.participant, email="ada@example.org")
    response = sign_in(sso_client, provider, "ada")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"
    assert session_cookie(sso_client)
    assert sso_client.get("/assessments").status_code == 200
    link = session.exec(select(SsoIdentity)).one()
    assert (link.user_id, link.subject) == (ada.id, "ada")
    assert session.exec(select(SsoLoginAttempt)).all() == []  # used up


def test_a_linked_user_is_found_by_the_link(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory, session: Session
) -> None:
    ada = make_user(Role.participant, email="ada@example.org")
    assert sign_in(sso_client, provider, "ada").status_code == 303
    # The address changes here; the (issuer, subject) link still finds Ada.
    ada.email = "ada.lovelace@example.org"
    session.add(ada)
    session.commit()
    sso_client.cookies.clear()
    assert sign_in(sso_client, provider, "ada").status_code == 303
    assert len(session.exec(select(SsoIdentity)).all()) == 1


def test_unknown_person_is_created_just_in_time(
    sso_client: TestClient,
    provider: ProviderBrowser,
    sso_settings: SettingsFactory,
    session: Session,
) -> None:
    sso_settings(create_users=True, default_role="coach")
    response = sign_in(sso_client, provider, "newcomer")
    assert response.status_code == 303, response.text
    user = session.exec(select(User).where(col(User.email) == "newcomer@example.org")).one()
    assert user.roles == "coach"
    assert user.display_name == "New Comer"
    assert user.password_hash is None


def test_unknown_person_is_refused_without_just_in_time_creation(
    sso_client: TestClient, provider: ProviderBrowser, session: Session
) -> None:
    response = sign_in(sso_client, provider, "newcomer")
    assert response.status_code == 400
    assert "no Stepwise account" in response.text
    assert 'id="sso-error"' in response.text
    assert session_cookie(sso_client) is None
    assert session.exec(select(User)).all() == []


def test_unverified_email_matches_nobody(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory, session: Session
) -> None:
    make_user(Role.participant, email="ada@example.org")
    response = sign_in(sso_client, provider, "unverified")
    assert response.status_code == 400
    assert "not verified" in response.text
    assert session_cookie(sso_client) is None
    assert session.exec(select(SsoIdentity)).all() == []


def test_tampered_state_is_refused(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory
) -> None:
    make_user(Role.participant, email="ada@example.org")
    callback = provider.sign_in(start(sso_client), "ada")
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
    response = come_back(sso_client, urlunsplit(parts._replace(query=urlencode(query))))
    assert response.status_code == 400
    assert "state does not match" in response.text
    assert query["state"] not in response.text and query["code"] not in response.text
    assert session_cookie(sso_client) is None


def test_missing_state_is_refused(sso_client: TestClient) -> None:
    response = sso_client.get("/login/sso/callback?code=abc", follow_redirects=False)
    assert response.status_code == 400
    assert "no state" in response.text


def test_replayed_state_is_refused(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory
) -> None:
    make_user(Role.participant, email="ada@example.org")
    callback = provider.sign_in(start(sso_client), "ada")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    assert come_back(sso_client, callback).status_code == 303
    sso_client.cookies.clear()
    # The same browser's state cookie, again: the attempt is gone all the same.
    sso_client.cookies.set(cookies.cookie_name(cookies.SSO_STATE, settings=get_settings()), state)
    replay = come_back(sso_client, callback)
    assert replay.status_code == 400
    assert "already used" in replay.text
    assert session_cookie(sso_client) is None


def test_callback_in_another_browser_is_refused(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory
) -> None:
    make_user(Role.participant, email="ada@example.org")
    callback = provider.sign_in(start(sso_client), "ada")
    sso_client.cookies.clear()  # the victim's browser: no state cookie
    response = come_back(sso_client, callback)
    assert response.status_code == 400
    assert "another browser" in response.text


def test_wrong_nonce_is_refused(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory, session: Session
) -> None:
    """The ID token carries the nonce of the authorization request; ours is another."""
    make_user(Role.participant, email="ada@example.org")
    response = sign_in_with_changed_attempt(
        sso_client, provider, session, nonce="a-nonce-of-another-login-0123456789abcdef"
    )
    assert response.status_code == 400
    assert "(nonce)" in response.text
    assert session_cookie(sso_client) is None


def test_wrong_pkce_verifier_is_refused_by_the_provider(
    sso_client: TestClient, provider: ProviderBrowser, make_user: UserFactory, session: Session
) -> None:
    make_user(Role.participant, email="ada@example.org")
    response = sign_in_with_changed_attempt(sso_client, provider, session, code_verifier="x" * 64)
    assert response.status_code == 400
    assert "refused to exchange the code" in response.text


def test_provider_error_gives_the_error_page(sso_client: TestClient) -> None:
    url = start(sso_client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = sso_client.get(
        f"/login/sso/callback?state={state}&error=access_denied&error_description=%3Cb%3Eno",
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "answered with an error" in response.text
    assert "<b>no" not in response.text and "access_denied" not in response.text


def test_password_login_off_for_sso_users(
    sso_client: TestClient,
    provider: ProviderBrowser,
    make_user: UserFactory,
    sso_settings: SettingsFactory,
) -> None:
    ada = make_user(Role.participant, email="ada@example.org")
    other = make_user(Role.participant, email="other@example.org")
    assert sign_in(sso_client, provider, "ada").status_code == 303
    sso_settings(password_login=False)
    sso_client.cookies.clear()
    page = sso_client.get("/login")
    refused = sso_client.post(
        "/login",
        data={"email": ada.email, "password": PASSWORD, "csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "single sign-on" in refused.text
    token = sso_client.post(
        "/api/v1/auth/token", data={"username": ada.email, "password": PASSWORD}
    )
    assert token.status_code == 403
    # Someone not linked to SSO still signs in with their password.
    ok = sso_client.post("/api/v1/auth/token", data={"username": other.email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text


def test_logout_ends_our_session_and_goes_to_the_provider(
    sso_client: TestClient,
    provider: ProviderBrowser,
    make_user: UserFactory,
    oidc_provider: OidcProvider,
) -> None:
    make_user(Role.participant, email="ada@example.org")
    assert sign_in(sso_client, provider, "ada").status_code == 303
    page = sso_client.get("/assessments")
    response = sso_client.post(
        "/logout", data={"csrf_token": csrf_from_page(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{oidc_provider.issuer}/")
    assert parse_qs(urlsplit(location).query)["post_logout_redirect_uri"] == [f"{APP_BASE}/login"]
    assert provider.follow(location) is not None  # the provider's sign-out page answers
    assert sso_client.get("/assessments", follow_redirects=False).status_code in {303, 401}


def test_sso_routes_are_absent_when_not_configured(client: TestClient) -> None:
    assert client.get("/login/sso", follow_redirects=False).status_code == 404
    assert 'id="sso-login"' not in client.get("/login").text


def test_half_set_settings_fail_fast() -> None:
    with pytest.raises(ValueError, match="STEPWISE_OIDC_CLIENT_SECRET"):
        Settings(oidc_issuer="https://idp.example.org", oidc_client_id="x")
