"""The coaching pages over HTTP without JavaScript: what a plain browser gets and posts."""

from __future__ import annotations

import re

from sqlmodel import Session

from tests.coaching.conftest import CoachingPair


def _review_id(location: str) -> int:
    match = re.fullmatch(r"/coaching/reviews/([0-9]+)", location)
    assert match, location
    return int(match.group(1))


def _version(html: str) -> str:
    match = re.search(r'<input type="hidden" name="version" value="([0-9]+)">', html)
    assert match
    return match.group(1)


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select id="{re.escape(name)}" name="{re.escape(name)}".*?</select>',
                       html, re.S)  # fmt: skip
    assert select, name
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return chosen.group(1) if chosen else ""


def test_coach_home_and_participant_page(pair: CoachingPair) -> None:
    pair.submit()
    browser = pair.coach_browser()
    home = browser.get("/coaching")
    assert home.status_code == 200
    assert pair.participant.display_name in home.text
    assert "Submitted" in home.text
    assert "Start a review" in home.text
    page = browser.get(f"/coaching/participants/{pair.participant.id}")
    assert page.status_code == 200
    assert "Start a review" in page.text
    assert "Growth appears here once" in page.text


def test_a_whole_session_without_javascript(pair: CoachingPair) -> None:
    aid = pair.submit()
    browser = pair.coach_browser()

    opened = browser.post(f"/coaching/assessments/{aid}/review", {})
    assert opened.status_code == 303
    rid = _review_id(opened.headers["location"])
    # A second click lands in the same session.
    again = browser.post(f"/coaching/assessments/{aid}/review", {})
    assert _review_id(again.headers["location"]) == rid

    page = browser.get(f"/coaching/reviews/{rid}")
    assert page.status_code == 200
    assert "Private — never shown to the participant" in page.text
    assert "Inconsistent answers" in page.text  # the review behavior broke the pattern
    assert page.headers["cache-control"] == "no-store"
    assert f'href="http://testserver/api/v1/assessments/{aid}/report.pdf" download' in page.text

    # Save ratings, a target and notes with one plain post.
    saved = browser.post(
        f"/coaching/reviews/{rid}",
        {
            "version": _version(page.text),
            "r.planning.coach_level": "1",
            "r.planning.target_level": "3",
            "r.planning.rationale": "Plans the week, not yet the month.",
            "r.review.coach_level": "",
            "shared_notes": "Well done.",
            "private_notes": "Check workload.",
            "command": "save",
        },
    )
    assert saved.status_code == 303, saved.text
    page = browser.get(f"/coaching/reviews/{rid}")
    assert _selected(page.text, "r.planning.coach_level") == "1"
    assert _selected(page.text, "r.planning.target_level") == "3"
    assert "Blind spot" in page.text
    assert "Hold a weekly review." in page.text  # the development path's suggestion

    # "Add to plan" on a suggestion, a free action, and "rate unrated" — each saves first.
    suggest = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": _version(page.text), "command": "suggest:planning:practitioner:0"},
    )
    assert suggest.status_code == 303
    assert suggest.headers["location"].endswith("#plan")
    page = browser.get(f"/coaching/reviews/{rid}")
    free = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": _version(page.text), "command": "add-action", "new.title": "Pair with Sam",
         "new.behavior_id": "review", "new.due_date": "2026-06-30"},
    )  # fmt: skip
    assert free.status_code == 303, free.text
    page = browser.get(f"/coaching/reviews/{rid}")
    rated = browser.post(
        f"/coaching/reviews/{rid}", {"version": _version(page.text), "command": "rate-unrated"}
    )
    assert rated.status_code == 303

    coach_view = pair.coach_api().ok("GET", f"/reviews/{rid}")
    assert [(b["coach_level"], b["target_level"]) for b in coach_view["behaviors"]] == [
        (1, 3), (0, None)  # review: rated at the self-assessed level 0 ("Not yet")
    ]  # fmt: skip
    assert [(a["title"], a["from_suggestion"]) for a in coach_view["plan"]] == [
        ("Hold a weekly review.", True), ("Pair with Sam", False)
    ]  # fmt: skip
    assert coach_view["private_notes"] == "Check workload."

    # Finalize through the confirmation page.
    confirm = browser.get(f"/coaching/reviews/{rid}/finalize")
    assert confirm.status_code == 200
    assert "Finalize and share" in confirm.text
    done = browser.post(f"/coaching/reviews/{rid}/finalize", {"version": _version(confirm.text)})
    assert done.status_code == 303
    final = browser.get(f"/coaching/reviews/{rid}")
    assert "This review was finalized" in final.text
    assert 'name="r.planning.coach_level"' not in final.text  # read-only
    assert "Check workload." in final.text  # the coach still reads their private notes

    # The participant: a review link leads to their results, which show the shared parts.
    me = pair.participant_browser()
    redirect = me.get(f"/coaching/reviews/{rid}")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == f"/assessments/{aid}/results#coach-review"
    results = me.get(f"/assessments/{aid}/results")
    assert results.status_code == 200
    assert "Your coaching review" in results.text
    assert "Well done." in results.text
    assert "Plans the week, not yet the month." in results.text
    assert "Pair with Sam" in results.text
    assert "Check workload." not in results.text
    assert "Private" not in results.text

    # ... and update the status of their own action.
    action_id = coach_view["plan"][1]["id"]
    updated = me.post(
        f"/coaching/plan-actions/{action_id}/status",
        {"version": "1", "status": "done", "next": f"/assessments/{aid}/results"},
    )
    assert updated.status_code == 303
    assert updated.headers["location"] == f"/assessments/{aid}/results#your-plan"
    plan = pair.coach_api().ok("GET", f"/participants/{pair.participant.id}/plan")
    history = plan["actions"][1]["history"]
    assert (history[-1]["field"], history[-1]["new_value"], history[-1]["actor"]["id"]) == (
        "status", "done", pair.participant.id
    )  # fmt: skip
    # A bad status or a foreign "next" changes nothing / goes nowhere else.
    bad = me.post(f"/coaching/plan-actions/{action_id}/status", {"version": "2", "status": "x"})
    assert bad.status_code == 422
    away = me.post(
        f"/coaching/plan-actions/{action_id}/status",
        {"version": "2", "status": "in_progress", "next": "https://evil.example/"},
    )
    assert away.headers["location"] == f"/assessments/{aid}/results#your-plan"


def test_a_stale_post_keeps_what_was_typed(pair: CoachingPair, session: Session) -> None:
    aid = pair.submit()
    rid = pair.coach_api().start(aid)["id"]
    browser = pair.coach_browser()
    # Another tab saves first.
    pair.coach_api().ok("PATCH", f"/reviews/{rid}", json={"version": 1, "shared_notes": "Tab A"})
    stale = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": "1", "shared_notes": "Tab B typed this", "r.planning.coach_level": "2"},
    )
    assert stale.status_code == 409
    assert "Not saved" in stale.text
    assert "Tab B typed this" in stale.text  # nothing typed is lost
    assert _selected(stale.text, "r.planning.coach_level") == "2"
    assert _version(stale.text) == "2"  # saving again is based on the current version
    again = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": "2", "shared_notes": "Tab B typed this", "r.planning.coach_level": "2"},
    )
    assert again.status_code == 303


def test_finalize_page_lists_unrated_behaviors(pair: CoachingPair) -> None:
    rid = pair.coach_api().start(pair.submit())["id"]
    browser = pair.coach_browser()
    page = browser.get(f"/coaching/reviews/{rid}/finalize")
    assert "2 behaviors are not rated yet" in page.text
    refused = browser.post(f"/coaching/reviews/{rid}/finalize", {"version": "1"})
    assert refused.status_code == 422
    assert "Not finalized" in refused.text


def test_plan_actions_are_edited_with_the_workspace_form(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = api.start(pair.submit())["id"]
    action = api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Weekly plan"})
    browser = pair.coach_browser()
    page = browser.get(f"/coaching/reviews/{rid}")
    p = f"p.{action['id']}."
    saved = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": _version(page.text), p + "version": "1", p + "title": "Weekly plan",
         p + "status": "in_progress", p + "due_date": "2026-07-01", p + "success_measure": ""},
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    after = api.ok("GET", f"/participants/{pair.participant.id}/plan")["actions"][0]
    assert (after["status"], after["due_date"], after["version"]) == (
        "in_progress",
        "2026-07-01",
        2,
    )
    assert [h["field"] for h in after["history"]] == ["created", "due_date", "status"]
    # A bad date is refused with the page again, nothing saved.
    bad = browser.post(
        f"/coaching/reviews/{rid}",
        {"version": _version(page.text), p + "version": "2", p + "due_date": "31/12/2026"},
    )
    assert bad.status_code == 422
    assert "31/12/2026" in bad.text
    assert api.ok("GET", f"/participants/{pair.participant.id}/plan")["actions"][0]["version"] == 2


def test_growth_table_with_two_reviewed_assessments(pair: CoachingPair) -> None:
    api = pair.coach_api()
    ratings = {"planning": {"coach_level": 1}, "review": {"coach_level": 1}}
    for answers in (None, {"pl-1": 4, "pl-2a": 4, "pl-2b": 4, "pl-3": 4, "rv-1": 4, "rv-3a": 1,
                           "rv-3b": 1}):  # fmt: skip
        rid = api.start(pair.submit(answers))["id"]
        api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
        api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})
        ratings = {"planning": {"coach_level": 3}, "review": {"coach_level": 1}}
    page = pair.coach_browser().get(f"/coaching/participants/{pair.participant.id}")
    assert page.status_code == 200
    assert "growth-table" in page.text
    planning = re.search(r"<th scope=\"row\">Planning</th>(.*?)</tr>", page.text, re.S)
    assert planning
    # self 2 -> 3 (+1), coach 1 -> 3 (+2)
    assert re.findall(r'class="change up">\+([0-9])', planning.group(1)) == ["1", "2"]
