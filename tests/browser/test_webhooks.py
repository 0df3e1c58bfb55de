"""Registering a webhook endpoint in a real browser (plain forms), and the pages' a11y."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, ConsoleWatch, LiveServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_register_an_endpoint_and_rotate_its_secret(
    new_context: Callable[..., Any],
    sign_in: Callable[..., None],
    live_server: LiveServer,
    console_watch: ConsoleWatch,
    viewport: dict[str, int],
) -> None:
    console_watch.allow(r"status of 422 .*/admin/webhooks\)")
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "admin@example.com")
    page.goto(live_server.url("/admin"))
    page.get_by_role("link", name="Webhooks").click()
    expect(page).to_have_url(re.compile(r"/admin/webhooks$"))
    assert_accessible(page)

    # Refused first: a URL that is not http(s) is reported at the field, the rest kept.
    page.get_by_label("URL", exact=True).fill("ftp://files.example.test/x")
    page.get_by_label("Description").fill("CRM sync")
    page.get_by_role("button", name="Register endpoint").click()
    expect(page.locator("#url-error")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("CRM sync")
    assert_accessible(page)

    page.get_by_label("URL", exact=True).fill(f"http://127.0.0.1:9/{viewport['width']}")
    page.get_by_role("button", name="Register endpoint").click()
    expect(page).to_have_url(re.compile(r"/admin/webhooks/\d+\?done=created$"))
    secret = page.get_by_role("textbox", name="Signing secret")
    first = secret.input_value()
    assert first.startswith("whsec_")
    assert_accessible(page)

    page.get_by_role("button", name="Rotate secret").click()
    expect(page).to_have_url(re.compile(r"\?done=rotated$"))
    assert page.get_by_role("textbox", name="Signing secret").input_value() not in ("", first)
