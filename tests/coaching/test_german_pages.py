"""The coach's pages in German (Accept-Language: de): the review workspace, its
finalize step with real plural forms, the coaching home, and the plan's history."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.accounts.models import User
from tests.coaching.conftest import Api, Browser, SubmitFactory

ApiFor = Callable[[User], Api]
BrowserFor = Callable[[User], Browser]

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


@pytest.fixture
def review_id(api_for: ApiFor, submitted: SubmitFactory, participant: User, coach: User) -> int:
    """A review of the participant's assessment: one blind spot, one aligned, one action."""
    api = api_for(coach)
    rid = int(api.start(submitted(participant))["id"])
    ratings = {"planning": {"coach_level": 1, "target_level": 3}, "review": {"coach_level": 0}}
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
    api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Plan the week"})
    return rid


def test_the_review_workspace_in_german(
    browser_for: BrowserFor, review_id: int, participant: User, coach: User
) -> None:
    page = browser_for(coach).get(f"/coaching/reviews/{review_id}", headers=GERMAN).text
    assert '<html lang="de">' in page
    for german in (
        f"Gespräch mit {participant.display_name}",
        "Abgleich",
        "Blinde Flecken",
        "Verborgene Stärken",
        "Einstufung durch den Coach",
        "Vereinbartes Ziel",
        "Entwicklungsplan",
        "Gesprächsnotizen",
        "Private Coach-Notizen",
        "Maßnahme hinzufügen",
        "Alle Änderungen gespeichert",
        ">Speichern</button>",
        "Abschließen …",
        "Geplant",  # the plan action's status label, marked in Python, translated here
        "PDF-Bericht herunterladen",
    ):
        assert german in page, german
    for english in ("Development plan", "Session notes", "Coach rating", "Not rated yet", "Save<"):
        assert english not in page, english


def test_the_finalize_step_counts_in_german_plurals(
    browser_for: BrowserFor, review_id: int, coach: User
) -> None:
    page = browser_for(coach).get(f"/coaching/reviews/{review_id}/finalize", headers=GERMAN).text
    assert (
        "Ihre Einstufung beider Verhaltensweisen "
        "(1 blinder Fleck, keine verborgenen Stärken, 1 übereinstimmend)"
    ) in page
    assert "ein vereinbartes Ziel für 1 von 2 Verhaltensweisen (1 ohne)" in page
    assert "den Entwicklungsplan: 1 Maßnahme aus diesem Gespräch" in page
    assert "Abschließen und freigeben" in page


def test_the_coaching_home_in_german_and_unchanged_in_english(
    browser_for: BrowserFor, submitted: SubmitFactory, participant: User, coach: User
) -> None:
    submitted(participant)
    browser = browser_for(coach)
    german = browser.get("/coaching", headers=GERMAN).text
    assert "Ihre Teilnehmenden" in german and "Gespräch beginnen" in german
    assert "Abgegeben" in german and "Noch nie" in german
    english = browser.get("/coaching", headers={"Accept-Language": "en"}).text
    assert "Your participants" in english and "Start a review" in english
