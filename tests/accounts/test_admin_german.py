"""The admin's people pages in German (Accept-Language: de), with the success notice
of a redirect translated when the page prints it."""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import User
from tests.fixtures.web import Browser

BrowserFor = Callable[[User], Browser]
GERMAN = {"Accept-Language": "de"}


def test_the_people_page_in_german(browser_for: BrowserFor, admin: User, participant: User) -> None:
    page = browser_for(admin).get("/admin", headers=GERMAN).text
    assert '<html lang="de">' in page
    for german in (
        "<h1>Personen</h1>",
        "Jemanden einladen",
        "Coach-Zuordnungen",
        "Kohorten",
        "Prüfprotokoll",
        "E-Mail beginnt mit",
        'data-label="Rollen"',
        "Teilnehmende Person",  # a role's code, named in the page's language
        ">Aktiv<",
    ):
        assert german in page, german
    assert "Invite someone" not in page and "Audit trail" not in page


def test_a_person_page_and_its_notice_in_german(
    browser_for: BrowserFor, admin: User, participant: User
) -> None:
    browser = browser_for(admin)
    path = f"/admin/users/{participant.id}"
    saved = browser.post(f"{path}/roles", [("roles", "participant"), ("roles", "coach")])
    assert saved.status_code == 303
    page = browser.get(saved.headers["location"], headers=GERMAN).text
    assert "Rollen gespeichert." in page and "Roles saved." not in page
    assert f"Was {participant.display_name} darf" in page
    assert "Deaktivieren" in page and "Personenbezogene Daten löschen" in page
    english = browser.get(saved.headers["location"], headers={"Accept-Language": "en"}).text
    assert "Roles saved." in english and f"What {participant.display_name} may do" in english
