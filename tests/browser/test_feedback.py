"""Multi-rater feedback end to end: a real server sending through a real SMTP server.

A participant invites 7 raters in 3 groups from their request page (at phone
width); the server's in-process job runner mails each their own link to the
aiosmtpd server; every rater opens the link read from *their* received mail
in Chromium at phone width, answers and submits: one of them with
JavaScript disabled (plain form posts), the others with autosave. The
participant's page then shows everyone as submitted, and a used link shows
only the thank-you page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, LiveServer, closing_contexts, running_server
from tests.fixtures.smtp import SmtpServer

pytestmark = pytest.mark.browser

PARTICIPANT, PASSWORD = "feedback-owner@example.test", "a-long-password-1"
RATERS = {
    "boss@example.test": "manager",
    "peer1@example.test": "peers",
    "peer2@example.test": "peers",
    "peer3@example.test": "peers",
    "client1@example.test": "stakeholders",
    "client2@example.test": "stakeholders",
    "client3@example.test": "stakeholders",
}
NO_JS = "peer2@example.test"
Shot = Callable[[Page, str], Path]


@pytest.fixture
def smtp_live_server(
    tmp_path: Path, smtp_server: SmtpServer, browser: Browser
) -> Iterator[LiveServer]:
    """A server of its own whose mail goes to the test SMTP server."""
    with running_server(tmp_path, smtp_server.env) as server:
        yield server


@pytest.fixture
def contexts(
    browser: Browser, smtp_live_server: LiveServer
) -> Iterator[Callable[..., BrowserContext]]:
    with closing_contexts(browser, base_url=smtp_live_server.base_url) as make:
        yield make


def _link(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    match = re.search(r"https?://\S+(/feedback/[\w-]+)", part.get_content())
    assert match, "no feedback link in the mail"
    return match.group(1)


def _answer(page: Page, behavior: str, value: str) -> None:
    page.locator(f"#b-{behavior} input[type=radio][value='{value}']").check()


def test_seven_raters_in_three_groups_answer_from_their_mailed_links(
    smtp_live_server: LiveServer,
    smtp_server: SmtpServer,
    contexts: Callable[..., BrowserContext],
    screenshot: Shot,
) -> None:
    server = smtp_live_server
    server.cli("users", "add", PARTICIPANT, "--role", "participant", "--password", PASSWORD)
    owner = contexts(viewport=PHONE).new_page()
    owner.goto("/login")
    owner.get_by_label("Email").fill(PARTICIPANT)
    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    owner.wait_for_url(lambda url: "/login" not in url)
    token = owner.locator("meta[name=csrf-token]").get_attribute("content") or ""
    created = owner.request.post(
        "/api/v1/assessments", data={"rubric_id": "mini"}, headers={"X-CSRF-Token": token}
    )
    assert created.status == 201, created.text()
    assessment_id = created.json()["id"]

    owner.goto(f"/assessments/{assessment_id}/feedback")
    expect(owner.get_by_role("heading", name="Ask for feedback")).to_be_visible()
    for n, (email, group) in enumerate(RATERS.items()):
        owner.get_by_label(f"Rater {n + 1}: email").fill(email)
        owner.get_by_label(f"Rater {n + 1}: group").select_option(group)
    owner.get_by_label(re.compile("A message to your raters")).fill("Thank you for your time!")
    screenshot(owner, "feedback-request-new-phone")
    assert_accessible(owner)
    owner.get_by_role("button", name="Send the invitations").click()
    expect(owner.locator(".flash")).to_contain_text("each rater got their own link")

    received = smtp_server.inbox.wait_for(len(RATERS))
    links = {str(m["To"]): _link(m) for m in received}
    assert sorted(links) == sorted(RATERS)
    assert len(set(links.values())) == len(RATERS)
    assert all(
        "Thank you for your time!" in str(m.get_body(preferencelist=("plain",))) for m in received
    )

    for n, (email, link) in enumerate(sorted(links.items())):
        js = email != NO_JS
        page = contexts(viewport=PHONE, java_script_enabled=js).new_page()
        page.goto(link)
        expect(page.get_by_role("heading", name=re.compile("How do you see"))).to_be_visible()
        expect(page.get_by_text("What is anonymous")).to_be_visible()
        if n == 0:
            screenshot(page, "feedback-rater-form-phone")
            assert_accessible(page)
        _answer(page, "planning", str(n % 3))
        if js:
            expect(page.locator("[data-save-status]")).to_contain_text("All answers saved")
        else:
            # Without JavaScript: save, come back, then submit with a missing answer first.
            page.get_by_role("button", name="Save and finish later").click()
            expect(page.locator(".flash")).to_contain_text("Your answers are saved")
            page.get_by_role("button", name="Submit my feedback").click()
            expect(page.locator("#missing-review")).to_be_visible()
            screenshot(page, "feedback-rater-missing-nojs-phone")  # (axe needs JavaScript)
        _answer(page, "review", "not_observed" if n % 2 else "2")
        page.locator("#b-planning summary").click()
        page.locator("#n-planning").fill(f"Comment {n}")
        page.get_by_label(re.compile("keep doing")).fill("Keep planning ahead")
        page.get_by_role("button", name="Submit my feedback").click()
        expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
        if n == 0:
            screenshot(page, "feedback-rater-thanks-phone")
            assert_accessible(page)
        # The used link shows the thank-you page only, never the answers.
        page.goto(link)
        expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
        assert f"Comment {n}" not in page.content()

    owner.goto(f"/assessments/{assessment_id}/feedback")
    expect(owner.locator(".fb-status", has_text="Submitted")).to_have_count(len(RATERS))
    assert "Comment" not in owner.content()
    screenshot(owner, "feedback-request-phone")
    assert_accessible(owner)
    owner.set_viewport_size(DESKTOP)
    screenshot(owner, "feedback-request-desktop")
    desktop_rater = contexts(viewport=DESKTOP).new_page()
    desktop_rater.goto(links["boss@example.test"])
    screenshot(desktop_rater, "feedback-rater-thanks-desktop")
