"""A whole coach review session in a real browser, then what the participant sees.

The coach signs in, opens a participant's submitted product-owner assessment,
rates every behavior (a few by hand, with the keyboard and the mouse, the rest
with "Rate unrated at the self-assessed level"), sets targets, adds two plan
actions (one from a development-path suggestion), writes a shared and a
private note, and finalizes. The participant then signs in, sees the shared
parts on their results page -- not the private note -- and updates the status
of an action. Screenshots of the workspace go to var/screenshots/.

Uses ``sam@example.com`` (the demo coach is assigned to both demo
participants), so it does not share assessments with the self-assessment tests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PHONE, ConsoleWatch

pytestmark = pytest.mark.browser

PARTICIPANT = "sam@example.com"
COACH = "coach@example.com"
SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]


def api(page: Page, method: str, url: str, body: Any = None) -> Any:
    """Call the JSON API with the page's own session (cookie + CSRF header)."""
    result: dict[str, Any] = page.evaluate(
        """([method, url, body]) => fetch(url, {
             method, credentials: 'same-origin',
             headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
                       'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
             body: body === null ? undefined : JSON.stringify(body)})
           .then(async r => ({status: r.status, body: await r.json().catch(() => null)}))""",
        [method, url, body],
    )
    assert 200 <= result["status"] < 300, result
    return result["body"]


def submit_varied_assessment(page: Page) -> int:
    """A submitted product-owner assessment whose behaviors reach different levels.

    Behavior k is answered "usually" up to level ``1 + k % 5`` and "rarely"
    above, so the review has a realistic spread of self-assessed levels.
    """
    created = api(page, "POST", "/api/v1/assessments", {"rubric_id": "product-owner"})
    rubric = api(page, "GET", "/api/v1/rubrics/product-owner")["rubric"]
    order = {level["id"]: level["order"] for level in rubric["levels"]}
    answers: dict[str, int] = {}
    behaviors = [b for c in rubric["competencies"] for b in c["behaviors"]]
    for k, behavior in enumerate(behaviors):
        for level_id, level in behavior["levels"].items():
            for entry in level["items"]:
                answers[entry["id"]] = 4 if order[level_id] <= 1 + k % 5 else 2
    submit_answers(page, created, answers)
    return int(created["id"])


def open_mini_review(
    new_context: Callable[..., BrowserContext], sign_in: SignIn
) -> tuple[BrowserContext, Page, dict[str, Any]]:
    """The participant submits a ``mini`` assessment; the coach starts its review and opens it.

    Returns the coach's browser context, the page showing the review, and the review.
    """
    participant = new_context().new_page()
    sign_in(participant, PARTICIPANT)
    created = submit_mini_assessment(participant)
    context = new_context()
    page = context.new_page()
    sign_in(page, COACH)
    review: dict[str, Any] = api(page, "POST", f"/api/v1/assessments/{created['id']}/reviews")
    page.goto(f"/coaching/reviews/{review['id']}")
    return context, page, review


def submit_mini_assessment(page: Page) -> dict[str, Any]:
    """A submitted assessment of the two-behavior ``mini`` fixture rubric, as the API returns it."""
    created: dict[str, Any] = api(page, "POST", "/api/v1/assessments", {"rubric_id": "mini"})
    answers = {"pl-1": 4, "pl-2a": 4, "pl-2b": 3, "pl-3": 1, "rv-1": 1, "rv-3a": 4, "rv-3b": 4}
    submit_answers(page, created, answers)
    return created


def submit_answers(page: Page, created: dict[str, Any], answers: dict[str, int]) -> None:
    """Save ``answers`` into a just-created assessment and submit it."""
    saved = api(
        page,
        "PATCH",
        f"/api/v1/assessments/{created['id']}/responses",
        {"version": created["version"], "responses": answers},
    )
    api(page, "POST", f"/api/v1/assessments/{created['id']}/submit", {"version": saved["version"]})


def expect_saved(page: Page) -> None:
    status = page.locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_have_text("All changes saved")


def behavior(page: Page, behavior_id: str) -> Any:
    return page.locator(f"#behavior-{behavior_id}")


def test_a_coach_review_session_from_start_to_the_participants_results(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    private = f"Private-{uuid.uuid4().hex[:12]}"
    shared = "Great session: focus on stakeholder mapping next quarter."

    # The participant has submitted a self-assessment.
    participant = new_context().new_page()
    sign_in(participant, PARTICIPANT)
    assessment_id = submit_varied_assessment(participant)

    # The coach: home, the participant's page, start the review.
    coach = new_context().new_page()
    sign_in(coach, COACH)
    coach.goto("/coaching")
    expect(coach.get_by_role("heading", name="Your participants")).to_be_visible()
    screenshot(coach, "coaching-home-desktop")
    coach.get_by_role("link", name="Sam Participant").click()
    coach.wait_for_url(re.compile(r"/coaching/participants/\d+$"))
    screenshot(coach, "coaching-participant-desktop")
    coach.locator(f"form[action='/coaching/assessments/{assessment_id}/review'] button").click()
    coach.wait_for_url(re.compile(r"/coaching/reviews/\d+$"))
    review_url = coach.url
    review_id = int(review_url.rsplit("/", 1)[1])
    expect(coach.get_by_role("heading", name="Review with Sam Participant")).to_be_visible()

    selects = coach.locator("select[data-field='coach_level']")
    expect(selects).to_have_count(23)
    behavior_ids: list[str] = selects.evaluate_all("els => els.map(e => e.dataset.rating)")

    # Rate the first behaviors by hand: one with the keyboard, others with the mouse.
    first = behavior_ids[0]  # self-assessed "Beginner" (k = 0)
    coach.get_by_label("Coach rating").first.focus()
    coach.keyboard.press("ArrowDown")  # "Not rated yet" -> "Not yet"
    coach.keyboard.press("ArrowDown")  # -> "Beginner"
    coach.keyboard.press("ArrowDown")  # -> "Intermediate": above the self level
    behavior(coach, first).get_by_label("Agreed target").select_option(label="Advanced")
    behavior(coach, first).get_by_label("Rationale").fill("Runs the roadmap review on her own.")
    second = behavior_ids[3]  # self-assessed "Guide" (k = 3)
    behavior(coach, second).get_by_label("Coach rating").select_option(label="Intermediate")
    behavior(coach, second).get_by_label("Agreed target").select_option(label="Guide")
    behavior(coach, second).get_by_label("Evidence notes").fill("Two stakeholder maps seen.")
    third = behavior_ids[2]  # "Advanced", rated the same
    behavior(coach, third).get_by_label("Coach rating").select_option(label="Advanced")
    expect_saved(coach)
    # The computed flags follow the ratings (refreshed from the server after the save).
    expect(behavior(coach, first).locator(".cal-flag").first).to_have_text("Hidden strength")
    expect(behavior(coach, second).locator(".cal-flag").first).to_have_text("Blind spot")
    expect(behavior(coach, third).locator(".cal-flag").first).to_have_text("Aligned")

    # The other 20 at the self-assessed level, with the efficient button.
    coach.get_by_role("button", name="Rate unrated at the self-assessed level").click()
    coach.wait_for_url(re.compile(r"/coaching/reviews/\d+(#ratings)?$"))
    expect(coach.locator("[data-unrated-count]")).to_have_text("0")
    expect(behavior(coach, first).get_by_label("Coach rating")).to_have_value("2")

    # Two plan actions: one from the development path's suggestions, one written freely.
    path = behavior(coach, second).locator(".dev-path")
    expect(path).to_contain_text("Development path: Intermediate → Guide")
    suggestion = path.locator(".suggestions li").first
    suggested_title = suggestion.locator("span").first.inner_text()
    suggestion.get_by_role("button").click()
    coach.wait_for_url(re.compile(r"#plan$"))
    plan = coach.locator("#plan")
    expect(plan.locator(".plan-item")).to_have_count(1)
    expect(plan.get_by_label("Action").first).to_have_value(suggested_title)
    new_action = plan.locator("fieldset.new-action")
    new_action.get_by_label("Action").fill("Shadow a senior PO in two roadmap reviews")
    new_action.get_by_label("Behavior").select_option(index=1)
    new_action.get_by_label("Due").fill("2026-09-30")
    new_action.get_by_label("What success looks like").fill("Leads the next review herself")
    new_action.get_by_role("button", name="Add action").click()
    coach.wait_for_url(re.compile(r"#plan$"))
    expect(coach.locator("#plan .plan-item")).to_have_count(2)

    # Notes, clearly labelled; autosaved.
    coach.get_by_label("Shared notes").fill(shared)
    private_field = coach.get_by_label(re.compile("Private coach notes"))
    expect(coach.get_by_text("Private — never shown to the participant")).to_be_visible()
    private_field.fill(private)
    expect_saved(coach)
    state = api(coach, "GET", f"/api/v1/reviews/{review_id}")
    assert state["private_notes"] == private
    assert state["shared_notes"] == shared
    assert state["flags"]["unrated"] == 0
    assert [b["target_level"] for b in state["behaviors"] if b["target_level"]] == [3, 4]

    # Screenshots of the workspace: desktop, and a 375 px phone.
    coach.goto(review_url)
    screenshot(coach, "coaching-review-desktop")
    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, COACH)
    phone.goto(review_url)
    expect(phone.get_by_role("heading", name="Review with Sam Participant")).to_be_visible()
    screenshot(phone, "coaching-review-phone")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the review page scrolls sideways at 375 px"

    # Finalize through the confirmation page; the review becomes read-only.
    coach.get_by_role("link", name="Finalize…").first.click()
    coach.wait_for_url(re.compile(r"/finalize$"))
    expect(coach.get_by_text("Your private notes stay private.")).to_be_visible()
    coach.get_by_role("button", name="Finalize and share").click()
    coach.wait_for_url(re.compile(r"/coaching/reviews/\d+$"))
    expect(coach.get_by_text("This review was finalized")).to_be_visible()
    expect(coach.locator("select")).to_have_count(0)

    # The participant sees the shared parts and not the private note.
    participant.goto(f"/assessments/{assessment_id}/results")
    block = participant.locator("#coach-review")
    expect(block.get_by_role("heading", name="Your coaching review")).to_be_visible()
    expect(block).to_contain_text(shared)
    expect(block).to_contain_text("Runs the roadmap review on her own.")
    expect(block).to_contain_text(suggested_title)
    expect(block).to_contain_text("Shadow a senior PO in two roadmap reviews")
    assert private not in participant.content()
    assert "Private coach notes" not in participant.content()
    screenshot(participant, "coaching-shared-results-desktop")

    # ... and updates the status of an action between sessions.
    item = block.locator(".plan-item").filter(has_text="Shadow a senior PO")
    item.get_by_label(re.compile("^Status")).select_option("in_progress")
    item.get_by_role("button", name=re.compile("^Update")).click()
    participant.wait_for_url(re.compile(r"/results#your-plan$"))
    updated = participant.locator("#coach-review .plan-item").filter(has_text="Shadow a senior")
    expect(updated.locator(".tag[class*='status-']")).to_have_text("In progress")

    # The coach sees who changed what in the plan's history.
    history = api(coach, "GET", f"/api/v1/participants/{state['participant']['id']}/plan")
    changed = next(a for a in history["actions"] if a["title"].startswith("Shadow"))["history"]
    assert (changed[-1]["field"], changed[-1]["new_value"]) == ("status", "in_progress")
    assert changed[-1]["actor"]["display_name"] == "Sam Participant"


def test_two_tabs_saving_different_behaviors_keep_both(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, console_watch: ConsoleWatch
) -> None:
    """The second tab's save is based on a stale version: 409, merge, retry, both kept."""
    console_watch.allow(r"status of 409")
    context, first, review = open_mini_review(new_context, sign_in)
    url = f"/coaching/reviews/{review['id']}"
    second = context.new_page()
    second.goto(url)  # both tabs loaded version 1

    behavior(first, "planning").get_by_label("Coach rating").select_option(label="Novice")
    expect_saved(first)
    behavior(second, "review").get_by_label("Coach rating").select_option(label="Expert")
    behavior(second, "review").get_by_label("Rationale").fill("Reviews every PR in the team.")
    expect_saved(second)

    state = api(second, "GET", f"/api/v1/reviews/{review['id']}")
    assert [b["coach_level"] for b in state["behaviors"]] == [1, 3]
    assert state["behaviors"][1]["rationale"] == "Reviews every PR in the team."
    # The second tab took the first tab's rating into its form while merging.
    expect(behavior(second, "planning").get_by_label("Coach rating")).to_have_value("1")


def test_the_review_saves_again_once_the_coach_signs_in_anew(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, console_watch: ConsoleWatch
) -> None:
    """Signed out in another tab, the review keeps the change and says why it is not saved.

    Signing in again there starts a new session with a new CSRF token: the
    review reads it from a fresh copy of its page and saves (it used to retry
    with the old token, 403 after 403, until reloaded).
    """
    console_watch.allow(r"status of 40[13]")
    context, page, review = open_mini_review(new_context, sign_in)
    other = context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url(re.compile(r"/login"))

    behavior(page, "planning").get_by_label("Coach rating").select_option(label="Novice")
    status = page.locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("your session has ended")

    sign_in(other, COACH)
    expect(status).to_have_attribute("data-state", "saved", timeout=40_000)
    expect(status).to_have_text("All changes saved")
    state = api(other, "GET", f"/api/v1/reviews/{review['id']}")
    assert [b["coach_level"] for b in state["behaviors"]] == [1, None]
