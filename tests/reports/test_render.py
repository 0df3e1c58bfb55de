"""The whole report, rendered: what the PDF says, how it is built (pages, metadata, tags,
fonts), and what it fetched, all read back with PDFium (``tests/fixtures/pdf.py``). Pages
are written as PNGs to var/reports/ for a person to look at (60 dpi).
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.reports.document import render_report_html
from app.reports.fetcher import RestrictedFetcher, assets_base_url
from app.reports.model import ReportData
from app.reports.render import ASSETS_DIR, release_memory, render_pdf
from app.reports.sample import sample_report_data
from app.rubrics.schemas import Rubric
from tests.fixtures.pdf import (
    PageInk,
    page_ink,
    pdf_fonts,
    pdf_info,
    pdf_streams_inflated,
    pdf_text,
    render_pages,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "reports"
MM = 72 / 25.4
#: The page margins of report.css (``@page { margin: 22mm 18mm 20mm 18mm }``), in points.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 22 * MM, 18 * MM, 20 * MM
HOSTILE_NOTE = 'Discuss <b>this</b> & <img src="file:///etc/passwd"> <script>alert(1)</script>'
PRIVATE = "PRIVATE-COACH-ONLY"


@dataclass
class Rendered:
    data: ReportData
    html: str
    pdf: bytes
    path: Path
    fetcher: RestrictedFetcher


def _render(data: ReportData, name: str, *, paper: str = "a4") -> Rendered:
    html = render_report_html(data, paper=paper, asset_base=assets_base_url(ASSETS_DIR))  # type: ignore[arg-type]
    fetcher = RestrictedFetcher(ASSETS_DIR)
    pdf = render_pdf(html, fetcher=fetcher)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    return Rendered(data, html, pdf, path, fetcher)


def _text(path: Path, *pages: int) -> str:
    """The PDF's text with whitespace collapsed (charts and tables break lines anywhere)."""
    return pdf_text(path, *pages)


@pytest.fixture(scope="module")
def full(po_rubric: Rubric) -> Rendered:
    """The typical Product Owner report: all competencies, review, 6 actions, 2 earlier ones."""
    data = sample_report_data(po_rubric, shared_note=HOSTILE_NOTE)
    rendered = _render(data, "product-owner-a4")
    render_pages(rendered.path, ARTIFACTS / "product-owner-a4", dpi=60)
    return rendered


def test_the_report_says_who_what_and_every_behavior(full: Rendered, po_rubric: Rubric) -> None:
    text = _text(full.path)
    assert "Alex Example" in text
    assert "Product Owner competencies, version 1.3" in text
    assert "March 14, 2025" in text and "Casey Coach" in text
    for competency in po_rubric.competencies:
        assert competency.name in text
        for behavior in competency.behaviors:
            assert behavior.name in text, behavior.name
    for level in po_rubric.levels:
        assert level.name in text
        assert level.summary in text  # the appendix
    for action in full.data.plan:
        assert action.title in text
    for section in ("Summary", "Profile per competency", "Development plan", "Growth over time"):
        assert section in text


def test_user_text_is_printed_literally_and_fetches_nothing(full: Rendered) -> None:
    text = _text(full.path)
    assert HOSTILE_NOTE in text
    assert "&lt;" not in text  # escaped once, for HTML, not twice
    assert "<img" not in full.html.replace("&lt;img", "")
    assert full.fetcher.refused == []
    fetched = {Path(url.removeprefix("file://")) for url in full.fetcher.fetched}
    assert ASSETS_DIR / "reports" / "report.css" in fetched
    assert all(path.is_relative_to(ASSETS_DIR) for path in fetched)
    # Fonts are fetched by the first render of a process only (a shared font configuration).
    assert {path.suffix for path in fetched} <= {".css", ".otf"}


def test_private_notes_cannot_reach_the_report(full: Rendered) -> None:
    assert PRIVATE not in _text(full.path)
    assert "private" not in full.html.lower()


def test_pages_have_running_headers_and_numbers_but_the_cover_has_none(full: Rendered) -> None:
    pages = pdf_info(full.path).pages
    assert pages >= 10
    cover = _text(full.path, 1)
    assert "Page 1" not in cover and "Confidential: prepared for Alex Example" in cover
    second = _text(full.path, 2)
    assert f"Page 2 of {pages}" in second
    assert "Development report · Product Owner competencies" in second
    assert len(list(ARTIFACTS.glob("product-owner-a4-*.png"))) == pages


def test_metadata_tags_and_embedded_bundled_fonts(full: Rendered) -> None:
    info = pdf_info(full.path)
    assert info.metadata["Title"] == "Development report: Alex Example (Product Owner competencies)"
    assert info.metadata["Author"] == "Stepwise"
    assert info.metadata["Subject"].startswith("Development report for Alex Example")
    assert info.metadata["Keywords"].startswith("Product Owner competencies, Product Management")
    assert info.tagged
    assert (int(info.width), int(info.height)) == (595, 841)  # A4: 595.28 x 841.89 pt
    inflated = pdf_streams_inflated(full.pdf)
    assert b"/Lang (en)" in inflated
    assert b'pdfuaid:part="1"' in inflated  # PDF/UA-1, in the XMP metadata stream
    fonts = pdf_fonts(full.path)
    assert fonts, "no fonts in the PDF"
    for font in fonts:
        assert "Inter" in font.name, font  # the bundled family only, no system fallback
        assert font.embedded and font.subset, font


def _layout_problems(pages: list[PageInk]) -> list[str]:
    """Pages (after the full-bleed cover) with ink in a side margin, or under half full
    though they are not the last page of a section (the next page opens one: it has
    the document's biggest heading, an ``h2``)."""
    h2 = max(page.largest_font for page in pages[1:])
    problems = []
    for number, page in enumerate(pages[1:], start=2):
        if min(page.left, page.width - page.right) < MARGIN_SIDE - 2:  # 2 pt: pixel rounding
            problems.append(f"page {number}: ink from {page.left:.0f} to {page.right:.0f} pt")
        area = page.height - MARGIN_TOP - MARGIN_BOTTOM
        fill = (page.bottom - MARGIN_TOP) / area
        section_end = number == len(pages) or pages[number].largest_font >= h2 - 0.1
        if fill < 0.5 and not section_end:
            problems.append(f"page {number}: {fill:.0%} full")
    return problems


def test_pages_are_at_least_half_full_and_nothing_passes_the_margins(full: Rendered) -> None:
    """Behavior blocks break between their parts and the plan table fits the text block,
    read back from the page images (rules and backgrounds count, not only text)."""
    pages = page_ink(full.pdf, band=(MARGIN_TOP, MARGIN_BOTTOM))
    assert _layout_problems(pages) == []  # 16 pages in all (17 when behaviors never broke)


def test_letter_paper_lays_out_the_full_report_as_well(po_rubric: Rubric) -> None:
    data = sample_report_data(po_rubric)
    rendered = _render(data, "product-owner-letter", paper="letter")
    pages = page_ink(rendered.pdf, band=(MARGIN_TOP, MARGIN_BOTTOM))
    assert (pages[0].width, pages[0].height) == (612, 792)
    assert _layout_problems(pages) == []


def test_letter_paper_and_a_minimal_report(mini_rubric: Rubric) -> None:
    data = sample_report_data(mini_rubric, reviewed=False, plan_size=0, history_size=0)
    rendered = _render(data, "mini-letter", paper="letter")
    info = pdf_info(rendered.path)
    assert (info.width, info.height) == (612, 792)  # US letter
    text = _text(rendered.path)
    assert "Not reviewed yet: levels are self-assessed" in text
    assert "No development actions have been planned yet" in text
    assert "Growth over time" not in text
    render_pages(rendered.path, ARTIFACTS / "mini-letter", dpi=60)


def test_an_unknown_paper_size_is_refused(mini_rubric: Rubric) -> None:
    data = sample_report_data(mini_rubric, reviewed=False)
    with pytest.raises(ValueError, match="paper"):
        render_report_html(data, paper="a3", asset_base="/static/")  # type: ignore[arg-type]


def _rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
def test_release_memory_hands_freed_heap_back_to_the_system() -> None:
    """What a render worker does after each report: freed heap pages leave the process."""
    chunks = [bytes(4000) for _ in range(20_000)]  # ~80 MiB of malloc'd (not pymalloc) blocks
    kept = chunks[::10]  # live blocks between the freed ones: glibc cannot just shrink the top
    del chunks
    gc.collect()
    before = _rss_mib()
    release_memory()
    after = _rss_mib()
    assert len(kept) == 2_000
    assert before - after > 30, (before, after)
