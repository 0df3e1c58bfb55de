"""Forgot password in a real browser: from the login page to signing in with the new password.

The live server has no SMTP server, so the message lands in its outbox (the
in-process job runner marks it "logged" and keeps it); the test reads the
link from there, as a developer would on **Admin → Mail**.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from app.core.db import make_engine
from tests.browser.conftest import ConsoleWatch, LiveServer

pytestmark = pytest.mark.browser

EMAIL = "forgetful@example.test"
OLD, NEW = "an-old-password-1", "a-new-password-22"
SignIn = Callable[..., None]


def mailed_link(server: LiveServer) -> str:
    """The reset link of the newest message to EMAIL, once the job has run."""
    engine = make_engine(server.env["STEPWISE_DATABASE_URL"], begin_immediate=False)
    try:
        deadline = time.monotonic() + 30
        while True:
            with engine.connect() as conn:
                row = conn.execute(
                    text(
                        "SELECT status, text_body FROM mail_messages WHERE to_address = :to "
                        "ORDER BY id DESC LIMIT 1"
                    ),
                    {"to": EMAIL},
                ).first()
            if row is not None and row.status == "logged":
                match = re.search(r"/reset-password/[\w-]+", row.text_body)
                assert match, row.text_body
                return match.group(0)
            assert time.monotonic() < deadline, f"no reset mail was processed: {row}"
            time.sleep(0.2)
    finally:
        engine.dispose()


def test_forgot_password_then_sign_in_with_the_new_one(
    page: Page, live_server: LiveServer, console_watch: ConsoleWatch, sign_in: SignIn
) -> None:
    live_server.cli("users", "add", EMAIL, "--role", "participant", "--password", OLD)
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("#reset-sent")).to_contain_text("If an account uses that address")

    page.goto(mailed_link(live_server))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("Repeat the password").fill(NEW)
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_url(lambda url: "/reset-password/" not in url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    sign_in(page, EMAIL, NEW)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # The old password no longer works.
    console_watch.allow(r"status of 401 .*/login")
    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(OLD)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    expect(page.locator("#login-error")).to_be_visible()
