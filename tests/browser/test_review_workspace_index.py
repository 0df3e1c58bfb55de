"""The coach's review workspace of a full product-owner review, at both widths: the
behavior index jumps to a behavior whose title then sits below the sticky, opaque
toolbar (bounding boxes), and the toolbar's Index link jumps back.

Uses ``sam@example.com``'s assessments, like tests/browser/test_coaching.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, FloatRect, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.browser.test_coaching import COACH, PARTICIPANT, api, submit_varied_assessment

pytestmark = pytest.mark.browser

SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]


def _box(page: Page, selector: str) -> FloatRect:
    box = page.locator(selector).bounding_box()
    assert box, selector
    return box


def _assert_below_toolbar_and_in_view(page: Page, selector: str) -> None:
    """The element is in the viewport and not under the sticky toolbar."""
    expect(page.locator(selector)).to_be_in_viewport()
    title = _box(page, selector)
    toolbar = _box(page, ".review-toolbar")
    viewport = page.viewport_size
    assert viewport
    assert toolbar["y"] <= 1, toolbar  # stuck at the top of the viewport
    assert title["y"] >= toolbar["y"] + toolbar["height"], (title, toolbar)
    assert title["y"] + title["height"] <= viewport["height"], (title, viewport)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_index_jumps_to_a_behavior_whose_title_the_toolbar_leaves_visible(
    width: str, new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    participant = new_context().new_page()
    sign_in(participant, PARTICIPANT)
    assessment_id = submit_varied_assessment(participant)
    page = new_context(viewport=DESKTOP if width == "desktop" else PHONE).new_page()
    sign_in(page, COACH)
    review = api(page, "POST", f"/api/v1/assessments/{assessment_id}/reviews")
    page.goto(f"/coaching/reviews/{review['id']}")

    index = page.get_by_role("navigation", name="Behaviors")
    links = index.locator("ol a")
    assert links.count() == 23  # every behavior of the product-owner rubric
    toolbar = page.locator(".review-toolbar")
    background = toolbar.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(246, 247, 249)", background  # opaque: no alpha
    assert_accessible(page)
    screenshot(page, f"coaching-review-index-{width}")

    # A behavior of the last competency, far down the page.
    last = links.nth(22)
    target = last.get_attribute("href")
    assert target and target.startswith("#behavior-")
    last.click()
    expect(page).to_have_url(f"/coaching/reviews/{review['id']}{target}")
    _assert_below_toolbar_and_in_view(page, f"{target}-title")
    # What the coach sees after the jump (the viewport, not the page from its top).
    page.mouse.move(0, 0)
    page.screenshot(path=str(SCREENSHOTS / f"coaching-review-jumped-{width}.png"))

    # One in the middle, then the plan: both land clear of the toolbar.
    page.locator(".review-toolbar").get_by_role("link", name="Index of behaviors").click()
    expect(index.get_by_role("heading", name="Behaviors")).to_be_in_viewport()
    middle = links.nth(11)
    middle.click()
    _assert_below_toolbar_and_in_view(page, f"{middle.get_attribute('href')}-title")
    page.locator(".review-toolbar").get_by_role("link", name="Index of behaviors").click()
    index.get_by_role("link", name="Development plan").click()
    _assert_below_toolbar_and_in_view(page, "#plan-title")
    assert_accessible(page)
