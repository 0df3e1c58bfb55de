"""Pages that must fit a phone: the report's HTML preview (no sideways scrolling) and
radar charts whose axis labels stay readable (at least 11 CSS px as rendered), on the
participant's results, the coach's review workspace and the preview. At both widths.

Uses ``sam@example.com``'s assessments, like tests/browser/test_coaching.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_coaching import COACH, PARTICIPANT, api, submit_varied_assessment

pytestmark = pytest.mark.browser

SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]
#: The smallest rendered size (CSS px) an axis label may have.
READABLE_PX = 11

#: Each radar axis label's rendered font size: its font-size in SVG units times the
#: SVG's current scale (viewBox to CSS pixels).
AXIS_LABEL_SIZES = """() => [...document.querySelectorAll('svg.chart-radar')].flatMap(svg => {
  const scale = svg.getScreenCTM().a;
  return [...svg.querySelectorAll('.chart-axis-labels text')].map(
    t => parseFloat(t.getAttribute('font-size')) * scale);
})"""


def _horizontal_overflow(page: Page) -> int:
    """How many CSS px the page is wider than its viewport (0 when it fits)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def _smallest_axis_label(page: Page) -> float:
    sizes: list[float] = page.evaluate(AXIS_LABEL_SIZES)
    assert sizes, "no radar axis labels on the page"
    return min(sizes)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_radar_labels_are_readable_and_the_report_preview_fits(
    width: str, new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    viewport = DESKTOP if width == "desktop" else PHONE
    participant = new_context(viewport=viewport).new_page()
    sign_in(participant, PARTICIPANT)
    assessment_id = submit_varied_assessment(participant)

    participant.goto(f"/assessments/{assessment_id}/results")
    assert _smallest_axis_label(participant) >= READABLE_PX
    assert _horizontal_overflow(participant) == 0

    participant.goto(f"/api/v1/assessments/{assessment_id}/report.html")
    assert _horizontal_overflow(participant) == 0
    assert _smallest_axis_label(participant) >= READABLE_PX
    assert_accessible(participant)
    screenshot(participant, f"report-preview-{width}")

    coach = new_context(viewport=viewport).new_page()
    sign_in(coach, COACH)
    review = api(coach, "POST", f"/api/v1/assessments/{assessment_id}/reviews")
    coach.goto(f"/coaching/reviews/{review['id']}")
    assert _smallest_axis_label(coach) >= READABLE_PX
    assert _horizontal_overflow(coach) == 0
