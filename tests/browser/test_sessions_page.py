"""The sessions page in a real browser: two devices, one ends the other."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, LiveServer

pytestmark = pytest.mark.browser

PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_see_and_end_another_session(
    new_context: Callable[..., Any],
    sign_in: Callable[..., None],
    live_server: LiveServer,
    screenshot: Callable[[Page, str], Path],
    viewport: dict[str, int],
) -> None:
    email = f"devices-{viewport['width']}@example.test"
    live_server.cli("users", "add", email, "--role", "participant", "--password", "two-devices-pw")
    other = new_context(user_agent=PHONE_AGENT).new_page()
    sign_in(other, email, "two-devices-pw")
    page = new_context(viewport=viewport).new_page()
    sign_in(page, email, "two-devices-pw")

    page.get_by_role("link", name="Sessions").click()
    expect(page).to_have_url(re.compile(r"/account/sessions$"))
    sessions = page.locator("#session-list > li")
    expect(sessions).to_have_count(2)
    expect(page.locator("#session-list")).to_contain_text("Safari on iOS")
    expect(page.locator(".tag", has_text="this device")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, f"account-sessions-{viewport['width']}")

    page.locator("#session-list > li", has_text="Safari on iOS").get_by_role(
        "button", name="End this session"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("that browser is signed out")
    expect(sessions).to_have_count(1)
    other.reload()
    expect(other).to_have_url(re.compile(r"/login"))
