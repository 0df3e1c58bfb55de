"""Choosing a language: the switcher before and after signing in, the profile API."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.core import i18n
from app.mail.models import MailMessage
from tests.fixtures.api import Api
from tests.fixtures.factories import csrf_from_page
from tests.fixtures.web import Browser

URL = "/api/v1/me/locale"


def test_the_login_page_speaks_the_browsers_language(client: TestClient) -> None:
    german = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert german.status_code == 200
    assert '<html lang="de">' in german.text
    assert "<h1>Anmelden</h1>" in german.text and "Passwort vergessen?" in german.text
    english = client.get("/login", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en">' in english.text and "<h1>Sign in</h1>" in english.text


def test_the_switcher_link_sets_the_cookie_and_only_goes_back_to_this_site(
    client: TestClient,
) -> None:
    chosen = client.get("/language/de?next=/login", follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/login"
    assert client.cookies.get(i18n.LOCALE_COOKIE) == "de"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert "<h1>Anmelden</h1>" in page.text  # the cookie wins over the header
    assert 'href="/language/en?next=/login"' in page.text and 'lang="en"' in page.text
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", ""):
        away = client.get(f"/language/en?next={target}", follow_redirects=False)
        assert away.headers["location"] == "/", target
    assert client.get("/language/xx", follow_redirects=False).status_code == 404


def test_the_profile_preference_follows_the_person_and_can_be_cleared(
    api_for: Callable[[User], Api], browser_for: Callable[[User], Browser], participant: User
) -> None:
    api = api_for(participant)
    assert api.ok("GET", URL) == {"locale": None, "effective": "en", "available": ["en", "de"]}
    assert api.ok("PUT", URL, json={"locale": "de"})["effective"] == "de"
    page = browser_for(participant).get("/account/sessions", headers={"Accept-Language": "en"})
    assert '<html lang="de">' in page.text and "Abmelden" in page.text
    assert api.ok("PUT", URL, json={"locale": None}) == {
        "locale": None,
        "effective": "en",
        "available": ["en", "de"],
    }


def test_an_unknown_locale_is_a_located_422_that_does_not_echo_it(
    api_for: Callable[[User], Api], session: Session, participant: User
) -> None:
    api = api_for(participant)
    for body, loc in (
        ({"locale": "tlh-Klingon"}, ["body", "locale"]),
        ({"locale": "x" * 13}, ["body", "locale"]),
        ({"language": "de"}, ["body", "language"]),
    ):
        response = api.call("PUT", URL, json=body)
        assert response.status_code == 422, body
        problem = response.json()
        assert loc in [e["loc"] for e in problem["errors"]], problem
        assert "tlh-Klingon" not in response.text
    session.refresh(participant)
    assert participant.locale is None


def test_the_footer_form_saves_the_choice_on_the_profile(
    browser_for: Callable[[User], Browser], session: Session, participant: User
) -> None:
    browser = browser_for(participant)
    page = browser.get("/account/sessions")
    assert 'action="/account/language"' in page.text and 'value="de"' in page.text
    saved = browser.post("/account/language", {"locale": "de", "next": "/account/sessions"})
    assert saved.status_code == 303 and saved.headers["location"] == "/account/sessions"
    session.refresh(participant)
    assert participant.locale == "de"
    refused = browser.post("/account/language", {"locale": "de"}, csrf=False)
    assert refused.status_code == 403
    bad = browser.post("/account/language", {"locale": "zz"})
    assert bad.status_code == 422
    session.refresh(participant)
    assert participant.locale == "de"


def test_error_pages_and_the_password_pages_speak_the_page_language(client: TestClient) -> None:
    missing = client.get("/no-such-page", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert missing.status_code == 404
    assert '<html lang="de">' in missing.text and "Seite nicht gefunden" in missing.text
    assert "Fehler 404" in missing.text and "Zur Startseite" in missing.text
    forgot = client.get("/forgot-password", headers={"Accept-Language": "de"})
    assert "Passwort vergessen?" in forgot.text and "Link zusenden" in forgot.text


def test_the_reset_mail_is_in_the_recipients_language(
    client: TestClient, session: Session, participant: User
) -> None:
    participant.locale = "de"
    session.add(participant)
    session.flush()
    form = client.get("/forgot-password")
    token = csrf_from_page(form.text)
    sent = client.post(
        "/forgot-password",
        data={"email": participant.email, "csrf_token": token},
        headers={"Accept-Language": "en"},  # the browser asking is not the recipient
    )
    assert sent.status_code == 200
    (mail,) = session.exec(
        select(MailMessage).where(col(MailMessage.to_address) == participant.email)
    ).all()
    assert mail.subject == "Ihr Stepwise-Passwort zurücksetzen"
    assert mail.text_body is not None and mail.html_body is not None
    assert mail.text_body.startswith(f"Hallo {participant.display_name},")
    assert (
        "Minuten lang" in mail.text_body
        and "Hier legen Sie ein neues Passwort fest" in mail.text_body
    )
    assert '<html lang="de">' in mail.html_body and "Neues Passwort festlegen" in mail.html_body
