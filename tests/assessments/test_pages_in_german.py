"""A German participant's questionnaire, review, confirm and results pages (real requests)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from app.accounts.models import User
from app.core import i18n
from app.rubrics.schemas import Rubric
from tests.fixtures.assessments import SubmitFactory, all_answers
from tests.fixtures.web import Browser

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


def test_the_questionnaire_is_in_german(
    browser_for: Callable[[User], Browser],
    participant: User,
    mini: Rubric,
    submitted: SubmitFactory,
) -> None:
    draft = submitted(participant, answers={}, submit=False)
    page = browser_for(participant).get(f"/assessments/{draft}", headers=GERMAN)
    assert page.status_code == 200
    html = page.text
    assert '<html lang="de">' in html
    assert "Abschnitt 1 von 2" in html and "Nächster Abschnitt" in html
    assert "Wählen Sie für jede Aussage, wie gut sie Sie beschreibt" in html
    assert "Ihre Einschätzungen" in html and "Review and submit" not in html
    # The scripts' strings come with the page, translated, keyed by their English text.
    block = re.search(r'<script type="application/json" id="i18n">(.*?)</script>', html, re.S)
    assert block is not None
    strings = json.loads(block.group(1))
    assert strings["All answers saved"] == "Alle Antworten gespeichert"
    assert strings["%(answered)s of %(total)s answered"] == "%(answered)s von %(total)s beantwortet"


def test_the_results_are_in_german_with_german_numbers(
    browser_for: Callable[[User], Browser],
    participant: User,
    mini: Rubric,
    submitted: SubmitFactory,
) -> None:
    done = submitted(participant, answers=all_answers(mini, 2))
    html = browser_for(participant).get(f"/assessments/{done}/results", headers=GERMAN).text
    assert "<h1>Ihre Ergebnisse</h1>" in html and "Gesamtstufe je Kompetenz" in html
    assert "Punktwert" in html and "Eine Stufe gilt als erreicht" in html
    assert re.search(r"Punktwert \d,\d\d", html), "scores with a decimal comma"
    assert "Netzdiagramm, Skala von" in html or "Punktwerte je Verhalten" in html
    assert "Your results" not in html and "Overall level" not in html


def test_the_review_counts_missing_statements_in_each_language(
    browser_for: Callable[[User], Browser],
    participant: User,
    mini: Rubric,
    submitted: SubmitFactory,
) -> None:
    """Plural forms: one statement, several statements, in English and German."""
    answers = all_answers(mini, 2)
    one_left = dict(list(answers.items())[1:])
    one = submitted(participant, answers=one_left, submit=False)
    many = submitted(participant, answers={}, submit=False)
    browser = browser_for(participant)
    total = len(answers)
    expected = [
        (one, "en", "1 statement is not answered yet"),
        (many, "en", f"{total} statements are not answered yet"),
        (one, "de", "1 Aussage ist noch nicht beantwortet"),
        (many, "de", f"{total} Aussagen sind noch nicht beantwortet"),
    ]
    for assessment, language, text in expected:
        page = browser.get(
            f"/assessments/{assessment}/review", headers={"Accept-Language": language}
        )
        assert text in page.text, (language, text)


def test_an_added_plural_follows_each_language() -> None:
    one, many = "%(num)d statement to answer anew", "%(num)d statements to answer anew"
    for language, n, text in (
        ("en", 1, "1 statement to answer anew"),
        ("en", 3, "3 statements to answer anew"),
        ("de", 1, "1 Aussage neu zu beantworten"),
        ("de", 3, "3 Aussagen neu zu beantworten"),
        ("de", 0, "0 Aussagen neu zu beantworten"),
    ):
        assert i18n.ngettext(language, one, many, n) % {"num": n} == text


def test_the_confirm_page_is_in_german(
    browser_for: Callable[[User], Browser],
    participant: User,
    mini: Rubric,
    submitted: SubmitFactory,
) -> None:
    complete = submitted(participant, answers=all_answers(mini, 2), submit=False)
    html = browser_for(participant).get(f"/assessments/{complete}/confirm", headers=GERMAN).text
    assert "Das Abgeben ist endgültig" in html and "Meine Selbsteinschätzung abgeben" in html
