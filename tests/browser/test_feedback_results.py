"""The feedback section of the results page in a real browser, at phone and desktop width.

A participant of their own (``robin@``, so no other browser test sees their
assessment) submits a ``mini`` assessment; seven raters' submitted answers
(``MINI_RATERS``) are written into the live server's database; the results page then
shows the feedback section, checked with axe-core (WCAG 2.1 AA) and saved as
a screenshot at both widths.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from app.core.db import make_engine
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, LiveServer
from tests.browser.test_coaching import submit_mini_assessment
from tests.fixtures.feedback_raters import MINI_RATERS, store_raters

pytestmark = pytest.mark.browser

PARTICIPANT = "robin@example.com"


def test_the_feedback_section_at_both_widths(
    live_server: LiveServer,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[..., None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    live_server.cli(
        "users", "add", PARTICIPANT, "--role", "participant", "--password", DEMO_PASSWORD
    )
    me = new_context().new_page()
    sign_in(me, PARTICIPANT)
    aid = int(submit_mini_assessment(me)["id"])
    engine = make_engine(live_server.env["STEPWISE_DATABASE_URL"])
    try:
        with Session(engine) as session:
            store_raters(session, assessment_id=aid, raters=MINI_RATERS)
    finally:
        engine.dispose()

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_context(viewport=size).new_page()
        sign_in(page, PARTICIPANT)
        page.goto(live_server.url(f"/assessments/{aid}/results#feedback"))
        section = page.locator("#feedback")
        expect(section.get_by_role("heading", name="Feedback from others")).to_be_visible()
        expect(section.locator("svg.chart-dots").first).to_be_visible()
        expect(section.get_by_text("Plans are clear")).to_be_visible()
        assert "MANAGER-ONLY" not in page.content()
        assert_accessible(page)
        screenshot(page, f"feedback-results-{name}")
