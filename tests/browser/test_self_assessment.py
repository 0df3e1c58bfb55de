"""The self-assessment in a real browser: answering, autosave, reloads, two tabs, no JavaScript.

Fixtures (live server, Chromium, console-error capture, screenshots) are
described in ``tests/browser/conftest.py``. Every test signs in as a demo
participant and starts its own assessment, so tests share the server's
database without depending on each other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PHONE, ConsoleWatch, LiveServer

pytestmark = pytest.mark.browser

PARTICIPANT = "pat@example.com"
SignIn = Callable[..., None]
Shot = Callable[[Page, str], Path]


# --- helpers ------------------------------------------------------------------------------


def start_assessment(page: Page, rubric_id: str) -> int:
    """From the home page: choose a framework, press Start; the new assessment's id."""
    page.goto("/assessments")
    page.get_by_label("Framework").select_option(rubric_id)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def item(page: Page, item_id: str) -> Any:
    return page.locator(f"fieldset[data-item='{item_id}']")


def choose(page: Page, item_id: str, value: str) -> None:
    """Click the label of one answer, as a person does."""
    item(page, item_id).locator("label.choice").filter(
        has=page.locator(f"input[value='{value}']")
    ).click()


def checked_value(page: Page, item_id: str) -> str | None:
    value: str | None = page.evaluate(
        "id => { const r = document.querySelector(`input[name='a.${id}']:checked`);"
        " return r ? r.value : null; }",
        item_id,
    )
    return value


def expect_saved(page: Page) -> None:
    status = page.locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_have_text("All answers saved")


def section_item_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "fieldset[data-item]", "nodes => nodes.map(n => n.dataset.item)"
    )
    return ids


def api_state(page: Page, assessment_id: int) -> dict[str, Any]:
    """The assessment as the API returns it, fetched with the page's own session."""
    body: dict[str, Any] = page.evaluate(
        "id => fetch(`/api/v1/assessments/${id}`, {headers: {Accept: 'application/json'}})"
        ".then(r => r.json())",
        assessment_id,
    )
    return body


def fill_by_api(page: Page, assessment_id: int, responses: dict[str, Any]) -> None:
    """Bulk answers through the API with the page's session (set-up for long rubrics)."""
    version = api_state(page, assessment_id)["version"]
    status = page.evaluate(
        """([id, version, responses]) => fetch(`/api/v1/assessments/${id}/responses`, {
             method: 'PATCH', credentials: 'same-origin',
             headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
                       'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
             body: JSON.stringify({version, responses})}).then(r => r.status)""",
        [assessment_id, version, responses],
    )
    assert status == 200


def consistent_answers(page: Page, assessment_id: int) -> dict[str, int]:
    """Answers for the unanswered items that reach a different level in each behavior.

    Behavior k is answered high up to level ``1 + k % 4`` and low above it, so the
    results show varied levels without inconsistency flags (a realistic profile).
    """
    state = api_state(page, assessment_id)
    rubric = page.evaluate(
        "id => fetch(`/api/v1/rubrics/${id}`).then(r => r.json())", state["rubric"]["id"]
    )["rubric"]
    order = {level["id"]: level["order"] for level in rubric["levels"]}
    top, bottom = rubric["scale"]["max"], rubric["scale"]["min"]
    answers: dict[str, int] = {}
    behaviors = [b for c in rubric["competencies"] for b in c["behaviors"]]
    for k, behavior in enumerate(behaviors):
        for level_id, level in behavior["levels"].items():
            for entry in level["items"]:
                if entry["id"] in state["missing"]:
                    answers[entry["id"]] = top - 1 if order[level_id] <= 1 + k % 4 else bottom + 1
    return answers


# --- the whole journey --------------------------------------------------------------------


def test_answer_reload_finish_submit_and_see_results(
    page: Page, sign_in: SignIn, screenshot: Shot
) -> None:
    """The sparse ``mini`` rubric (scale 0..4, no n/a) from start to results, with a reload."""
    sign_in(page, PARTICIPANT)
    page.wait_for_url(re.compile(r"/assessments$"))
    assessment_id = start_assessment(page, "mini")
    expect(page).to_have_title(re.compile(r"^Planning · Mini framework"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("input[value='n/a']").count() == 0  # this scale has no n/a
    assert item(page, "pl-1").locator("input[type=radio]").count() == 5  # 0..4

    # Part of section 1, then a reload: the answers are still there (saved on the server).
    choose(page, "pl-1", "4")
    choose(page, "pl-2a", "3")
    expect_saved(page)
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 7 answered")
    page.reload()
    assert checked_value(page, "pl-1") == "4" and checked_value(page, "pl-2a") == "3"
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 7 answered")

    # The rest of section 1, then section 2 through the "Next section" button.
    choose(page, "pl-2b", "4")
    choose(page, "pl-3", "1")
    page.get_by_role("button", name="Next section").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}\?section=2$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    for item_id, value in (("rv-1", "0"), ("rv-3a", "4"), ("rv-3b", "4")):
        choose(page, item_id, value)
    expect(page.locator("[data-progress-text]")).to_have_text("7 of 7 answered")
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/review$"))
    expect(page.get_by_role("heading", name="Every statement is answered")).to_be_visible()
    page.get_by_role("link", name="Preview my levels").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/confirm$"))
    page.get_by_role("button", name="Submit my self-assessment").click()

    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/results$"))
    expect(page).to_have_title(re.compile(r"^Results · Mini framework"))
    # Two behaviors make no radar (it would be a line): the chart's table shows the scores.
    expect(page.locator("table.chart-data")).to_contain_text("Practitioner")
    behavior = page.locator("#behavior-planning")
    expect(behavior.locator(".behavior-level .level-badge")).to_have_text("Practitioner")
    expect(behavior).to_contain_text("Plans a week.")  # where you are
    expect(behavior).to_contain_text("Plans a quarter.")  # next level
    expect(behavior).to_contain_text("Draft a quarterly plan.")  # its coaching action
    expect(page.locator("#behavior-review .flag")).to_contain_text("Inconsistent answers")
    screenshot(page, "results-mini-desktop")


def test_product_owner_from_first_answer_to_the_radar_chart(page: Page, sign_in: SignIn) -> None:
    """All 23 sections of the product-owner rubric answered by clicking, then the radars."""
    sign_in(page, PARTICIPANT)
    assessment_id = start_assessment(page, "product-owner")
    choose(page, "pm-vs-1a", "5")
    choose(page, "pm-vs-1b", "n/a")
    expect_saved(page)
    page.reload()
    assert checked_value(page, "pm-vs-1a") == "5" and checked_value(page, "pm-vs-1b") == "n/a"

    for number in range(1, 24):
        expect(page.locator(".q-kicker")).to_contain_text(f"Section {number} of 23")
        for index, item_id in enumerate(section_item_ids(page)):
            if checked_value(page, item_id) is None:
                choose(page, item_id, "4" if index < 6 else "2")  # up to level 3, then not
        last = number == 23
        page.get_by_role("button", name="Review and submit" if last else "Next section").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/review$"))
    page.get_by_role("link", name="Preview my levels").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/confirm$"))
    page.get_by_role("button", name="Submit my self-assessment").click()

    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}/results$"))
    charts = page.locator("svg.chart-radar")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index)).to_be_visible()
        assert charts.nth(index).bounding_box()["width"] > 250  # type: ignore[index]
    level = page.locator("#behavior-outcome-orientation .behavior-level .level-badge")
    expect(level).to_have_text("Advanced")
    expect(page.locator("#behavior-outcome-orientation")).to_contain_text("Next step: Guide")


def test_unsaved_answers_survive_a_network_drop_and_a_reload(
    page: Page, sign_in: SignIn, console_watch: ConsoleWatch, live_server: LiveServer
) -> None:
    """Offline: "Not saved - retrying", kept in localStorage across a reload, sent when back."""
    console_watch.allow(r"Failed to load resource: net::ERR_FAILED")
    console_watch.allow(r"request failed: PATCH .*/responses: net::ERR_FAILED")
    sign_in(page, PARTICIPANT)
    assessment_id = start_assessment(page, "product-owner")
    save_url = re.compile(rf"/api/v1/assessments/{assessment_id}/responses$")
    page.route(save_url, lambda route: route.abort("failed"))

    choose(page, "pm-vs-1a", "4")
    status = page.locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("Not saved")
    stored = page.evaluate(f"localStorage.getItem('stepwise:pending:{assessment_id}')")
    assert json.loads(stored)["pm-vs-1a"]["v"] == "4"

    # Leaving now warns; we go anyway (a reload), still offline.
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    page.reload()
    assert dialogs == ["beforeunload"]
    assert checked_value(page, "pm-vs-1a") == "4"  # restored from localStorage
    expect(status).to_have_attribute("data-state", "error")

    # Back online: the kept answer is sent and the storage is cleared.
    page.unroute(save_url)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_saved(page)
    assert page.evaluate(f"localStorage.getItem('stepwise:pending:{assessment_id}')") is None
    assert api_state(page, assessment_id)["responses"] == {"pm-vs-1a": 4}


def test_keyboard_only_answering_of_a_section(page: Page, sign_in: SignIn) -> None:
    """Tab to each statement, choose with Space and the arrow keys, leave with Enter."""
    sign_in(page, PARTICIPANT)
    assessment_id = start_assessment(page, "product-owner")
    items = section_item_ids(page)
    assert len(items) == 10

    for _ in range(80):  # Tab from the top of the page to the first statement
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == f"a.{items[0]}":
            break
    else:
        pytest.fail("Tab never reached the first statement")
    focused_choice = page.locator("label.choice:has(input:focus)")
    assert focused_choice.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    expected: dict[str, int] = {}
    for index, item_id in enumerate(items):
        assert page.evaluate("document.activeElement.name") == f"a.{item_id}"
        page.keyboard.press("Space")  # checks the first answer (1)
        for _ in range(index % 5):
            page.keyboard.press("ArrowRight")  # and moves the choice up the scale
        expected[item_id] = index % 5 + 1
        page.keyboard.press("Tab")
    for item_id, value in expected.items():
        assert checked_value(page, item_id) == str(value)

    # Focus has left the last statement for the buttons; Tab to "Next section", press Enter.
    for _ in range(5):
        if page.evaluate("document.activeElement.textContent.trim()") == "Next section":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}\?section=2$"))
    assert api_state(page, assessment_id)["responses"] == expected


def test_two_tabs_answering_different_items_keep_both(
    context: BrowserContext, sign_in: SignIn, console_watch: ConsoleWatch
) -> None:
    """Tab B saves on a stale version, gets 409, merges onto tab A's save and retries."""
    console_watch.allow(r"status of 409")
    first = context.new_page()
    sign_in(first, PARTICIPANT)
    assessment_id = start_assessment(first, "mini")
    second = context.new_page()
    second.goto(f"/assessments/{assessment_id}")  # both tabs now at version 1

    choose(first, "pl-1", "2")
    expect_saved(first)
    with second.expect_response(lambda r: r.status == 409):
        choose(second, "pl-2a", "3")
    expect_saved(second)
    # Tab B took tab A's answer from the conflict reply without a reload.
    assert checked_value(second, "pl-1") == "2"
    assert api_state(second, assessment_id)["responses"] == {"pl-1": 2, "pl-2a": 3}

    for page in (first, second):
        page.reload()
        assert checked_value(page, "pl-1") == "2" and checked_value(page, "pl-2a") == "3"


def test_a_section_without_javascript_is_a_plain_form_post(
    new_context: Callable[..., BrowserContext], sign_in: SignIn
) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, PARTICIPANT)
    assessment_id = start_assessment(page, "mini")
    expect(page.locator("[data-save-status]")).to_be_hidden()
    expect(page.get_by_role("button", name="Save answers")).to_be_visible()

    for item_id, value in (("pl-1", "4"), ("pl-2a", "4"), ("pl-2b", "3"), ("pl-3", "0")):
        choose(page, item_id, value)
    page.get_by_role("button", name="Next section").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}\?section=2$"))
    expect(page.locator(".progress-text")).to_have_text("4 of 7 answered")

    # Jump back through the section list (it saves first, too): the answers are kept.
    page.get_by_role("button", name=re.compile(r"^Planning")).first.click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment_id}\?section=1$"))
    for item_id, value in (("pl-1", "4"), ("pl-2a", "4"), ("pl-2b", "3"), ("pl-3", "0")):
        expect(item(page, item_id).locator(f"input[type=radio][value='{value}']")).to_be_checked()


# --- screenshots ---------------------------------------------------------------------------


def test_screenshots_of_questionnaire_and_results_at_desktop_and_phone_width(
    new_context: Callable[..., BrowserContext], sign_in: SignIn, screenshot: Shot
) -> None:
    """The product-owner rubric: a half-answered section, and complete results."""
    desktop = new_context().new_page()
    sign_in(desktop, PARTICIPANT)
    assessment_id = start_assessment(desktop, "product-owner")
    for index, item_id in enumerate(section_item_ids(desktop)[:6]):
        choose(desktop, item_id, ["4", "3", "5", "n/a", "2", "4"][index])
    expect_saved(desktop)
    screenshot(desktop, "questionnaire-desktop")

    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, PARTICIPANT)
    phone.goto(f"/assessments/{assessment_id}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "questionnaire-phone")

    # Complete it (bulk, through the API with this session), submit through the page.
    fill_by_api(desktop, assessment_id, consistent_answers(desktop, assessment_id))
    desktop.goto(f"/assessments/{assessment_id}/review")
    desktop.get_by_role("link", name="Preview my levels").click()
    desktop.get_by_role("button", name="Submit my self-assessment").click()
    desktop.wait_for_url(re.compile(rf"/assessments/{assessment_id}/results$"))
    assert desktop.locator("svg.chart-radar").count() == 4
    screenshot(desktop, "results-desktop")

    phone.goto(f"/assessments/{assessment_id}/results")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "results-phone")

    for page, name in ((desktop, "home-desktop"), (phone, "home-phone")):
        page.goto("/assessments")
        expect(page.get_by_role("heading", name="Latest results")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]
        screenshot(page, name)
