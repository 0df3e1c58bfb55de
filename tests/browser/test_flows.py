"""Share links, the questionnaire's confirm step and phone layout, admin, error pages.

Each flow runs at both widths (DESKTOP, PHONE) with a screenshot and an axe
check of every page it changes. Accounts are the demo ones; every test makes
its own data (a new assessment, a new invitee), so the shared database does
not couple them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, ConsoleWatch
from tests.browser.test_coaching import submit_mini_assessment
from tests.browser.test_self_assessment import (
    choose,
    consistent_answers,
    fill_by_api,
    start_assessment,
)

pytestmark = pytest.mark.browser

SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]
NewContext = Callable[..., Any]
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


def _name(viewport: dict[str, int]) -> str:
    return "phone" if viewport == PHONE else "desktop"


def _fits(page: Page, viewport: dict[str, int]) -> None:
    """Nothing scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def _check(page: Page, viewport: dict[str, int], screenshot: Shot, name: str) -> None:
    """What each page a flow changes gets: it fits, passes axe, and is shot at this width."""
    _fits(page, viewport)
    assert_accessible(page)
    screenshot(page, f"{name}-{_name(viewport)}")


@WIDTHS
def test_sharing_a_report_from_results_to_the_recipients_page(
    new_context: NewContext,
    sign_in: SignIn,
    screenshot: Shot,
    console_watch: ConsoleWatch,
    viewport: dict[str, int],
) -> None:
    console_watch.allow(r"404")  # the revoked link's landing page, on purpose
    page = new_context(viewport=viewport).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "sam@example.com")
    created = submit_mini_assessment(page)
    page.goto(f"/assessments/{created['id']}/results")
    page.get_by_role("link", name="Share the report").click()
    page.wait_for_url(re.compile(rf"/assessments/{created['id']}/share$"))
    expect(page.get_by_text("You have not shared this report yet")).to_be_visible()

    page.get_by_label("Works for").select_option("30")
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    url = page.get_by_label("Share link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/shared/[A-Za-z0-9_-]{43}", url), url
    expect(page.locator(".share-link .tag")).to_have_text("Active")
    _check(page, viewport, screenshot, "share")

    recipient = new_context(viewport=viewport).new_page()
    recipient.goto(url)
    expect(recipient.get_by_role("heading", level=1)).to_have_text(
        "Sam Participant shared their development report with you"
    )
    expect(recipient.locator(".shared-facts")).to_contain_text("Link works until")
    download = recipient.get_by_role("link", name="Download the report (PDF)")
    assert download.get_attribute("href") == url + ".pdf"
    _check(recipient, viewport, screenshot, "shared-landing")
    if viewport == DESKTOP:
        with recipient.expect_download() as got:
            download.click()
        assert got.value.suggested_filename.endswith(".pdf")

    page.goto(f"/assessments/{created['id']}/share")
    page.get_by_role("button", name=re.compile(r"^Revoke")).click()
    expect(page.get_by_role("status")).to_have_text("Link revoked: it no longer opens the report.")
    expect(page.locator(".share-link .tag")).to_have_text("Revoked")
    recipient.goto(url)
    expect(recipient.get_by_role("heading", level=1)).to_have_text("Page not found")


@WIDTHS
def test_the_questionnaire_is_compact_on_a_phone_and_submit_is_confirmed(
    new_context: NewContext,
    sign_in: SignIn,
    screenshot: Shot,
    viewport: dict[str, int],
) -> None:
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "pat@example.com")
    assessment_id = start_assessment(page, "product-owner")
    expect(page.locator(".q-estimate")).to_contain_text("about 31 min left in total")
    choose(page, "pm-vs-1a", "4")
    choose(page, "pm-vs-1b", "5")
    expect(page.locator(".q-estimate")).to_contain_text("about 31 min left in total")
    first = page.locator("fieldset[data-item='pm-vs-1a']")
    if viewport == PHONE:
        # One row of choices; the chosen answer's label shows under it, once.
        expect(first.locator(".choice-label").filter(has_text="Usually like me")).to_be_visible()
        hidden = first.locator(".choice-label").filter(has_text="Rarely like me").bounding_box()
        assert hidden is not None and hidden["width"] <= 1  # visually hidden, still read out
        expect(page.locator(".scale-key")).to_be_visible()
        box = first.bounding_box()
        assert box is not None and box["height"] < 260, box
        tops = first.locator("label.choice").evaluate_all(
            "nodes => nodes.map(n => n.getBoundingClientRect().top)"
        )
        assert len(set(tops)) == 1, tops  # all on one line
    else:
        expect(page.locator(".scale-key")).to_be_hidden()
        expect(first.locator(".choice-label").filter(has_text="Rarely like me")).to_be_visible()
    _check(page, viewport, screenshot, "questionnaire-compact")

    fill_by_api(page, assessment_id, consistent_answers(page, assessment_id))
    page.goto(f"/assessments/{assessment_id}/review")
    page.get_by_role("link", name="Preview my levels").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/confirm$"))
    expect(page.locator(".preview-competency")).to_have_count(4)
    page.locator(".preview-competency summary").first.click()
    expect(page.locator(".preview-behaviors").first).to_be_visible()
    _check(page, viewport, screenshot, "confirm")
    page.get_by_role("button", name="Submit my self-assessment").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/results$"))


@WIDTHS
def test_an_admin_manages_a_person_without_sideways_scrolling(
    new_context: NewContext,
    sign_in: SignIn,
    screenshot: Shot,
    viewport: dict[str, int],
) -> None:
    page = new_context(viewport=viewport).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "admin@example.com")
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.test"
    page.goto("/admin/users/new")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.get_by_role("heading", name=f"Invitation for {email}")).to_be_visible()

    page.goto("/admin")
    row = page.locator("tr").filter(has_text=email)
    expect(row.locator("td[data-label='Status']")).to_have_text("Invited")
    expect(row.locator("td[data-label='Roles']")).to_be_visible()
    _check(page, viewport, screenshot, "admin-people")

    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/admin/users/\d+$"))
    page.get_by_role("button", name="Send a new invitation link").click()
    expect(page.get_by_role("heading", name=f"New invitation for {email}")).to_be_visible()
    assert "/invitations/" in page.get_by_label("Invitation link").input_value()
    _check(page, viewport, screenshot, "admin-person")

    page.get_by_label("Coach").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_role("status")).to_have_text("Roles saved.")
    expect(page.get_by_label("Coach")).to_be_checked()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Deactivated")
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Reactivated")


@WIDTHS
def test_error_pages_use_the_apps_layout(
    new_context: NewContext,
    sign_in: SignIn,
    screenshot: Shot,
    console_watch: ConsoleWatch,
    viewport: dict[str, int],
) -> None:
    width = _name(viewport)
    console_watch.allow(r"404")
    page = new_context(viewport=viewport).new_page()
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    family = page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily")
    assert "Times" not in family and family != "serif", family
    _check(page, viewport, screenshot, "error-404")

    # Signed in, a 404 from a page (its transaction rolled back) is the same styled page,
    # not a bare "Internal Server Error" (the header cannot reload the person's menu).
    sign_in(page, "pat@example.com")
    page.goto("/assessments/999999999/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Assessment not found")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, f"error-404-signed-in-{width}")
