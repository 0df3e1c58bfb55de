"""The report in German: its fixed texts, dates and numbers, its page footer, and the
language WeasyPrint is told (``<html lang="de">``, the PDF's ``/Lang``), which makes
it hyphenate German words with pyphen's German dictionary. Read back with PDFium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest

from app.reports.document import render_report_html
from app.reports.fetcher import assets_base_url
from app.reports.render import ASSETS_DIR, render_pdf
from app.reports.sample import sample_report_data
from app.rubrics.schemas import Rubric
from tests.fixtures.catalog import untranslated
from tests.fixtures.pdf import LAYOUT_HYPHEN, pdf_streams_inflated, pdf_text

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "reports"


@pytest.fixture(scope="module")
def german(po_rubric: Rubric) -> tuple[str, bytes, str, str]:
    data = sample_report_data(po_rubric, locale="de")
    html = render_report_html(data, asset_base=assets_base_url(ASSETS_DIR))
    pdf = render_pdf(html)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "product-owner-de.pdf"
    path.write_bytes(pdf)
    return html, pdf, pdf_text(path), pdf_text(path, hyphenated=True)


def test_the_german_report_has_german_headings_dates_and_numbers(
    german: tuple[str, bytes, str, str],
) -> None:
    _, _, text, _ = german
    for heading in (
        "STEPWISE · ENTWICKLUNGSBERICHT",
        "So lesen Sie diesen Bericht",
        "Zusammenfassung",
        "Größte Stärken",
        "Profil je Kompetenz",
        "Wo Sie jetzt stehen",
        "Anhang: Bedeutung der Stufen",
    ):
        assert heading in text or heading.upper() in text, heading  # some are in capitals
    assert "EINGESCHÄTZT AM 14. März 2025" in text  # Babel's long German date
    assert "Casey Coach, 20. März 2025" in text
    assert "2,40 bedeutet" in text  # a decimal comma
    assert re.search(r"Selbst \d,\d\d", text)  # the highlights' scores too
    assert "Vertraulich: erstellt für Alex Example und den zuständigen Coach." in text
    assert "Seite 2 von " in text and "Page 2 of" not in text  # the page footer
    for english in ("How to read this report", "Summary", "Top strengths", "Assessed on"):
        assert english not in text and english.upper() not in text, english


def test_the_german_report_is_marked_german_and_hyphenated(
    german: tuple[str, bytes, str, str],
) -> None:
    html, pdf, _, text = german
    assert html.startswith('<!doctype html>\n<html lang="de" ')
    assert b"/Lang (de)" in pdf_streams_inflated(pdf)  # what screen readers go by
    assert "de" in pyphen.LANGUAGES
    # report.css lets running text hyphenate; with lang="de" WeasyPrint breaks words
    # where the German dictionary allows, and prints the hyphen at the line's end.
    broken = re.findall(rf"(\w+){LAYOUT_HYPHEN}(\w+)", text)
    assert broken, "no word was hyphenated"
    german_words = pyphen.Pyphen(lang="de")
    assert any(f"{a}-{b}" in german_words.inserted(a + b) for a, b in broken)


def test_every_report_string_has_a_german_translation() -> None:
    """The PDF's templates and the sentences the builder writes (not the share pages)."""
    templates = [
        path
        for path in sorted((ROOT / "templates" / "reports").glob("*.html"))
        if path.name == "report.html" or (path.name.startswith("_") and path.name != "_share.html")
    ]
    code = [ROOT / "app" / "reports" / name for name in ("builder.py", "document.py")]
    assert untranslated("de", [*templates, *code]) == []
