"""The questionnaire's section list on a 1280x800 laptop: the list of 23 sections is
taller than the window, so it scrolls inside itself and a shade at its bottom says
there is more (gone once scrolled to the end, where the last competency and "Review
and submit" show). On a phone the list is the "Jump to another section" disclosure.

Uses ``sam@example.com``, like tests/browser/test_coaching.py.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_coaching import PARTICIPANT, api

pytestmark = pytest.mark.browser

SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]
LAPTOP = {"width": 1280, "height": 800}
LAST_COMPETENCY = "Holistic Product Ownership"


def _edge_brightness(nav: Locator, edge: str) -> float:
    """Mean grey level (0-255) of the 4 px rows at the list's top or bottom edge."""
    image = Image.open(io.BytesIO(nav.screenshot())).convert("L")
    rows = (0, 4) if edge == "top" else (image.height - 4, image.height)
    strip = image.crop((0, rows[0], image.width, rows[1]))
    mean: float = ImageStat.Stat(strip).mean[0]
    return mean


def _open_questionnaire(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, viewport: dict[str, int]
) -> Page:
    """A new product-owner assessment's first section, signed in, at ``viewport``."""
    page = new_context(viewport=viewport).new_page()
    sign_in(page, PARTICIPANT)
    created = api(page, "POST", "/api/v1/assessments", {"rubric_id": "product-owner"})
    page.goto(f"/assessments/{created['id']}")
    return page


def test_the_section_list_hints_that_it_scrolls_on_a_laptop(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    page = _open_questionnaire(new_context, sign_in, LAPTOP)
    nav = page.get_by_role("navigation", name="Sections")
    expect(nav).to_be_visible()
    assert nav.evaluate("n => n.scrollHeight > n.clientHeight")  # it does scroll here
    box = nav.bounding_box()
    assert box and box["y"] + box["height"] <= LAPTOP["height"], box  # its end is on screen
    assert_accessible(page)
    screenshot(page, "questionnaire-laptop-800")

    page.mouse.move(0, 0)
    # The window as the participant sees it (the full-page shot has no inner scrolling).
    page.screenshot(path=str(SCREENSHOTS / "questionnaire-laptop-800-window.png"))
    assert _edge_brightness(nav, "bottom") < 238  # shaded: more below
    assert _edge_brightness(nav, "top") > 243  # nothing above yet
    nav.evaluate("n => { n.scrollTop = n.scrollHeight; }")
    expect(nav.get_by_text(LAST_COMPETENCY)).to_be_in_viewport()
    expect(nav.get_by_role("link", name="Review and submit")).to_be_in_viewport()
    assert _edge_brightness(nav, "bottom") > 243  # the end: no shade
    assert _edge_brightness(nav, "top") < 238  # shaded: more above


def test_on_a_phone_the_sections_are_a_disclosure_listing_them_all(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    page = _open_questionnaire(new_context, sign_in, PHONE)
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    jump = page.locator("details.q-jump")
    jump.locator("summary").click()
    expect(jump.get_by_text(LAST_COMPETENCY)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "questionnaire-sections-phone")
