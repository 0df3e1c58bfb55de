"""A cohort and its cycle in a real browser: create, add a member with a coach, open,
the progress dashboard; screenshots at phone and desktop width, accessibility checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, LiveServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_cohort_and_its_cycle_dashboard(
    new_context: Callable[..., Any],
    sign_in: Callable[..., None],
    screenshot: Callable[..., Any],
    live_server: LiveServer,
    viewport: dict[str, int],
) -> None:
    name = f"Browser cohort {viewport['width']}"
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "admin@example.com")
    page.goto(live_server.url("/admin/cohorts"))
    assert_accessible(page)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create cohort").click()
    expect(page).to_have_url(re.compile(r"/admin/cohorts/\d+\?done=created$"))

    page.get_by_label("Participant's email").fill("pat@example.com")
    page.get_by_label("Coach's email").fill("coach@example.com")
    page.get_by_role("button", name="Add member").click()
    expect(page).to_have_url(re.compile(r"\?done=added$"))
    expect(page.locator("#members")).to_contain_text("Pat Participant")
    assert_accessible(page)
    screenshot(page, f"programmes-cohort-{viewport['width']}")

    page.get_by_role("form", name="New cycle").get_by_label("Name", exact=True).fill(
        f"Cycle {viewport['width']}"
    )
    page.get_by_role("button", name="Create cycle").click()
    expect(page).to_have_url(re.compile(r"/cycles/\d+\?done=cycle$"))
    page.get_by_role("button", name="Open now").click()
    expect(page).to_have_url(re.compile(r"\?done=opened$"))
    expect(page.locator("#progress")).to_contain_text("Pat Participant")
    expect(page.locator("#coaches")).to_contain_text("Cora Coach")
    assert_accessible(page)
    screenshot(page, f"programmes-cycle-{viewport['width']}")
