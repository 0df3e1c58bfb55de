"""The rater's form and the participant's request page in German (real requests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.core import i18n
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.feedback import open_request
from tests.fixtures.web import Browser

GERMAN = {"Accept": "text/html", "Accept-Language": "de"}


def test_the_rater_form_is_in_german(
    client: TestClient, session: Session, participant: User, submitted: SubmitFactory
) -> None:
    _, secrets = open_request(
        session,
        user=participant,
        assessment_id=submitted(participant),
        raters={"peer@example.test": "peers"},
    )
    html = client.get(f"/feedback/{secrets['peer@example.test']}", headers=GERMAN).text
    name = participant.display_name
    assert f"Wie erleben Sie {name} bei der Arbeit?" in html
    assert "als <strong>Kollegin oder Kollege</strong>" in html
    assert "Was anonym bleibt" in html and "Nicht beobachtet" in html
    assert "Mein Feedback abgeben" in html and "Submit my feedback" not in html


def test_the_due_date_field_speaks_the_locale_and_takes_a_typed_german_date(
    browser_for: Callable[[User], Browser], participant: User, submitted: SubmitFactory
) -> None:
    assessment = submitted(participant)
    browser = browser_for(participant)
    browser.client.cookies.set(i18n.LOCALE_COOKIE, "de")
    page = browser.get(f"/assessments/{assessment}/feedback")
    assert 'type="date"' in page.text and 'lang="de"' in page.text
    assert f"Datum, zum Beispiel 31.12.{date.today().year}" in page.text
    due = date.fromordinal(date.today().toordinal() + 10)
    sent = browser.post(
        f"/assessments/{assessment}/feedback",
        {"due_date": due.strftime("%d.%m.%Y"), "email.0": "peer@example.test", "group.0": "peers"},
    )
    assert sent.status_code == 303, sent.text[:500]
    shown = browser.get(sent.headers["location"]).text
    assert "Ihre Feedbackanfrage ist offen" in shown
    assert i18n.format_date_in("de", due) in shown
    refused = browser.post(
        f"/assessments/{other(submitted, participant)}/feedback", {"due_date": "31/31"}
    )
    assert refused.status_code == 422 and "muss ein Datum sein" in refused.text


def other(submitted: SubmitFactory, participant: User) -> int:
    return submitted(participant)
