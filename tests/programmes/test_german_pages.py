"""A cohort's page, its cycle's dashboard and the cohorts list in German
(Accept-Language: de): labels, our codes (status, stage) and locale dates."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.web import Browser
from tests.programmes.conftest import Programme

BrowserFor = Callable[[User], Browser]
GERMAN = {"Accept-Language": "de"}


def test_the_cohort_page_in_german(browser_for: BrowserFor, programme: Programme) -> None:
    page = (
        browser_for(programme.admin)
        .get(f"/admin/cohorts/{programme.cohort.id}", headers=GERMAN)
        .text
    )
    assert '<html lang="de">' in page
    for german in (
        "Mitglieder (3)",
        "Mitglied hinzufügen",
        "Mitglieder aus einer CSV-Datei hinzufügen",
        "Durchlauf anlegen",
        "Verspätete Abgaben annehmen",
        ">Entwurf</span>",  # the cycle's status code
        "01.03.2030",  # the cycle's opening date as German writes it
    ):
        assert german in page, german
    assert "Add a member" not in page and "Create cycle" not in page


def test_the_cycle_dashboard_in_german(browser_for: BrowserFor, programme: Programme) -> None:
    page = browser_for(programme.admin).get(f"/cycles/{programme.cycle.id}", headers=GERMAN).text
    assert "Nach Coach" in page and "Teamauswertung dieses Durchlaufs" in page
    assert "Jetzt starten" in page
    assert "Noch niemand wurde eingeladen: Der Durchlauf startet am 01.03.2030." in page


def test_a_notice_after_a_redirect_is_in_the_page_language(
    browser_for: BrowserFor, programme: Programme
) -> None:
    browser = browser_for(programme.admin)
    german = browser.get("/admin/cohorts?done=created", headers=GERMAN).text
    assert "Kohorte angelegt." in german and "Neue Kohorte" in german
    english = browser.get("/admin/cohorts?done=created", headers={"Accept-Language": "en"}).text
    assert "Cohort created." in english and "New cohort" in english


def test_a_refused_form_says_why_in_the_page_language(
    browser_for: BrowserFor, programme: Programme, session: Session
) -> None:
    programme.admin.locale = "de"  # the profile's choice: no header needed on the post
    session.add(programme.admin)
    session.commit()
    refused = browser_for(programme.admin).post("/admin/cohorts", {"name": "  "})
    assert refused.status_code == 422
    assert "Geben Sie einen Namen an" in refused.text
    assert "darf nicht leer sein" in refused.text
    assert "Give a name" not in refused.text and "must not be empty" not in refused.text
