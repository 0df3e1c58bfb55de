"""The pages after a coach review, in a real browser at both widths (issue 17).

A participant submits a product-owner assessment; the coach rates every
behavior (some with targets), adds three plan actions (one overdue), and
finalizes through the confirmation page. Then, at 1280 and 375 px:

* the participant's results tell the PDF's story (agreed level, target,
  self/coach/target overlays), with level ladders and the score in words;
* their home signals the shared plan, with the overdue action counted;
* the coach's participant page no longer invites a duplicate review, and
  shows the participant's status change;
* the coach's review page and results show the answers per behavior;
* the questionnaire opens a behavior's level ladder.

Every page is checked with axe-core (WCAG 2.1 AA) and saved as a screenshot.
Uses ``sam@example.com`` (like test_coaching.py): a finalized review changes the home
page (the main button), which the self-assessment tests of ``pat@`` rely on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_coaching import api, submit_varied_assessment

pytestmark = pytest.mark.browser

PARTICIPANT = "sam@example.com"
COACH = "coach@example.com"
SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def _review(coach: Page, assessment_id: int) -> dict[str, Any]:
    """Rate every behavior, set a few targets and three actions (one overdue); not finalized."""
    review: dict[str, Any] = api(coach, "POST", f"/api/v1/assessments/{assessment_id}/reviews")
    ratings = {}
    for k, b in enumerate(review["behaviors"]):
        ratings[b["behavior_id"]] = {"coach_level": 2, **({"target_level": 4} if k < 4 else {})}
    ratings[review["behaviors"][0]["behavior_id"]]["rationale"] = "Runs a clear backlog."
    saved = api(
        coach,
        "PATCH",
        f"/api/v1/reviews/{review['id']}",
        {"version": review["version"], "ratings": ratings, "shared_notes": "Good start."},
    )
    today = date.today()
    first = review["behaviors"][0]["behavior_id"]
    for title, due in (
        ("Pair on backlog refinement", today + timedelta(days=20)),
        ("Write the product vision", today - timedelta(days=5)),
        ("Read one book on discovery", None),
    ):
        body = {"title": title, "behavior_id": first, "due_date": due and due.isoformat()}
        api(coach, "POST", f"/api/v1/reviews/{review['id']}/plan-actions", body)
    return saved


def test_pages_after_a_finalized_review_at_both_widths(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    me = new_context().new_page()
    sign_in(me, PARTICIPANT)
    aid = submit_varied_assessment(me)
    coach = new_context().new_page()
    sign_in(coach, COACH)
    review = _review(coach, aid)
    rid = review["id"]

    # The workspace warns of due dates in the past: saved ones, and as one types.
    coach.goto(f"/coaching/reviews/{rid}")
    late = coach.locator(".plan-item", has=coach.get_by_text("Write the product vision"))
    expect(late.locator("[data-due-hint]")).to_contain_text("Overdue")
    soon = coach.locator(".plan-item", has=coach.get_by_text("Pair on backlog refinement"))
    expect(soon.locator("[data-due-hint]")).to_be_hidden()
    typed = coach.get_by_label("Due", exact=True).last
    typed.fill((date.today() - timedelta(days=1)).isoformat())
    typed.dispatch_event("change")
    expect(coach.locator(".new-action [data-due-hint]")).to_have_text("This date is in the past.")
    typed.fill((date.today() + timedelta(days=1)).isoformat())
    typed.dispatch_event("change")
    expect(coach.locator(".new-action [data-due-hint]")).to_be_hidden()
    typed.fill("")
    for name, size in WIDTHS.items():
        coach.set_viewport_size(size)
        assert_accessible(coach)
        screenshot(coach, f"reviewed-workspace-{name}")

    # The finalize page counts what is true, with real plurals.
    coach.goto(f"/coaching/reviews/{rid}/finalize")
    summary = coach.locator(".finalize-list")
    expect(summary).to_contain_text("an agreed target for 4 of the 23 behaviors (19 without one)")
    expect(summary).to_contain_text("3 actions from this session")
    expect(summary).not_to_contain_text("(s)")
    for name, size in WIDTHS.items():
        coach.set_viewport_size(size)
        assert_accessible(coach)
        screenshot(coach, f"reviewed-finalize-{name}")
    coach.set_viewport_size(DESKTOP)
    coach.get_by_role("button", name="Finalize and share").click()
    expect(coach.get_by_text("This review was finalized")).to_be_visible()

    # The participant changes a status; the coach sees it on the participant page.
    me.goto(f"/assessments/{aid}/results")
    item = me.locator(".shared-plan .plan-item", has_text="Pair on backlog refinement")
    item.get_by_label("Status").select_option("in_progress")
    item.get_by_role("button", name="Update").click()
    me.wait_for_url(f"**/assessments/{aid}/results#your-plan")

    for name, size in WIDTHS.items():
        me.set_viewport_size(size)
        me.goto(f"/assessments/{aid}/results")
        first = me.locator(".behavior").first
        expect(first.locator(".where-now")).to_contain_text("(your coach's rating) → target")
        expect(first.locator(".score-explain")).to_contain_text("is reached")
        expect(me.locator("svg .chart-series-coach").first).to_be_attached()
        expect(me.locator("svg .chart-series-target").first).to_be_attached()
        expect(me.locator(".answers-table")).to_have_count(0)
        first.locator(".level-ladder > summary").click()
        expect(first.locator(".rung-mark.mark-coach")).to_be_visible()
        ours = [
            "Write the product vision",
            "Pair on backlog refinement",
            "Read one book on discovery",
        ]
        titles = me.locator(".shared-plan .plan-title strong").all_inner_texts()
        assert [t for t in titles if t in ours] == ours  # earliest due first, undated last
        overdue = me.locator(".shared-plan .plan-item", has=me.locator(".tag-overdue"))
        expect(overdue.filter(has_text="Write the product vision")).to_have_count(1)
        expect(overdue.filter(has_text="Pair on backlog refinement")).to_have_count(0)
        assert_accessible(me)
        screenshot(me, f"reviewed-results-{name}")

        me.goto("/assessments")
        signal = me.locator(".plan-signal").first
        expect(signal).to_contain_text("shared a development plan")
        expect(signal).to_contain_text(re.compile(r"[0-9]+ overdue"))
        expect(signal.get_by_role("link", name="See your plan")).to_be_visible()
        expect(me.get_by_role("button", name="Start a new self-assessment")).to_be_visible()
        assert_accessible(me)
        screenshot(me, f"reviewed-home-{name}")

        coach.set_viewport_size(size)
        coach.goto("/coaching")
        coach.get_by_role("link", name="Sam Participant").first.click()
        row = coach.locator(".assessment-row").first
        expect(row.get_by_role("button", name="Start a review")).to_have_count(0)
        expect(row.get_by_role("link", name="Open the finalized review")).to_be_visible()
        updates = coach.locator(".plan-updates")
        expect(updates).to_contain_text("Pair on backlog refinement")
        expect(updates).to_contain_text("planned → in progress")
        assert_accessible(coach)
        screenshot(coach, f"reviewed-participant-{name}")

        coach.goto(f"/coaching/reviews/{rid}")
        block = coach.locator(".rv-behavior").first
        block.locator(".answers > summary").click()
        expect(block.locator(".answers-table tbody tr").first).to_be_visible()
        block.locator(".level-ladder > summary").click()
        expect(block.locator(".rung-mark.mark-target")).to_be_visible()
        assert_accessible(coach)
        screenshot(coach, f"reviewed-coach-review-{name}")

        coach.goto(f"/assessments/{aid}/results")
        coach.locator(".behavior .answers > summary").first.click()
        expect(coach.locator(".behavior .answers-table").first).to_be_visible()
        assert_accessible(coach)
        screenshot(coach, f"reviewed-coach-results-{name}")


def test_the_questionnaire_opens_the_level_ladder(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    me = new_context().new_page()
    sign_in(me, PARTICIPANT)
    created = api(me, "POST", "/api/v1/assessments", {"rubric_id": "product-owner"})
    for name, size in WIDTHS.items():
        me.set_viewport_size(size)
        me.goto(f"/assessments/{created['id']}")
        ladder = me.locator(".level-ladder")
        ladder.locator("summary").click()
        expect(ladder.locator(".rung")).not_to_have_count(0)
        expect(ladder.locator(".rung").first).to_be_visible()
        assert_accessible(me)
        screenshot(me, f"questionnaire-ladder-{name}")
