"""The development plan over HTTP: actions from suggestions or free text, status updates
by the participant between sessions, and the history the coach sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.accounts.models import User
from tests.coaching.conftest import Api, SubmitFactory

RATINGS = {"planning": {"coach_level": 1, "target_level": 3}, "review": {"coach_level": 1}}


def _session(api: Api, aid: int) -> int:
    rid: int = api.start(aid)["id"]
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": RATINGS})
    return rid


def test_plan_actions_from_a_suggestion_and_free(
    api_for: Callable[[User], Api], submitted: SubmitFactory, participant: User, coach: User
) -> None:
    api = api_for(coach)
    rid = _session(api, submitted(participant))

    suggested = api.ok(
        "POST",
        f"/reviews/{rid}/plan-actions",
        201,
        json={"suggestion": {"behavior_id": "planning", "level": "practitioner", "index": 0},
              "due_date": "2026-03-01", "success_measure": "Four reviews in a row"},
    )  # fmt: skip
    assert suggested | {
        "title": "Hold a weekly review.", "behavior_id": "planning", "behavior_name": "Planning",
        "from_suggestion": True, "status": "planned", "due_date": "2026-03-01", "version": 1,
        "review_id": rid, "participant_id": participant.id,
    } == suggested  # fmt: skip
    assert [(e["field"], e["actor"]["id"]) for e in suggested["history"]] == [("created", coach.id)]

    free = api.ok(
        "POST",
        f"/reviews/{rid}/plan-actions",
        201,
        json={"title": "  Shadow a senior PO  ", "status": "in_progress"},
    )
    assert free | {"title": "Shadow a senior PO", "behavior_id": None, "from_suggestion": False,
                   "status": "in_progress", "due_date": None} == free  # fmt: skip

    review = api.ok("GET", f"/reviews/{rid}")
    assert [a["id"] for a in review["plan"]] == [suggested["id"], free["id"]]


def test_bad_plan_actions_are_located(
    api_for: Callable[[User], Api], submitted: SubmitFactory, participant: User, coach: User
) -> None:
    api = api_for(coach)
    rid = _session(api, submitted(participant))
    cases: list[tuple[dict[str, Any], list[str | int]]] = [
        ({"title": "   "}, ["body", "title"]),
        ({}, ["body", "title"]),
        ({"title": "x", "behavior_id": "nope"}, ["body", "behavior_id"]),
        ({"suggestion": {"behavior_id": "review", "level": "practitioner"}},
         ["body", "suggestion", "index"]),  # review has no practitioner level
        ({"suggestion": {"behavior_id": "planning", "level": "expert", "index": 5}},
         ["body", "suggestion", "index"]),
        ({"suggestion": {"behavior_id": "nope", "level": "expert"}},
         ["body", "suggestion", "behavior_id"]),
        ({"title": "x", "status": "someday"}, ["body", "status"]),
        ({"title": "x", "due_date": "tomorrow"}, ["body", "due_date"]),
    ]  # fmt: skip
    for body, loc in cases:
        response = api.call("POST", f"/reviews/{rid}/plan-actions", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["loc"] == loc, body
    assert api.ok("GET", f"/participants/{participant.id}/plan")["actions"] == []


def test_participant_updates_status_between_sessions_and_coach_sees_history(
    api_for: Callable[[User], Api], submitted: SubmitFactory, participant: User, coach: User
) -> None:
    api = api_for(coach)
    me = api_for(participant)
    aid = submitted(participant)
    rid = _session(api, aid)
    action = api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Weekly plan"})
    aid_url = f"/plan-actions/{action['id']}"

    # Not agreed yet (session in progress): the participant neither sees nor changes it.
    assert me.ok("GET", f"/participants/{participant.id}/plan")["actions"] == []
    assert me.call("PATCH", aid_url, json={"version": 1, "status": "done"}).status_code == 404

    api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})
    # Finalized sessions take no new actions.
    late = api.call("POST", f"/reviews/{rid}/plan-actions", json={"title": "More"})
    assert late.status_code == 409

    # The participant may change the status, and only the status.
    updated = me.call("PATCH", aid_url, json={"version": 1, "status": "in_progress"})
    assert updated.status_code == 200, updated.text
    assert updated.headers["ETag"] == '"2"'
    assert updated.json()["status"] == "in_progress"
    refused = me.call("PATCH", aid_url, json={"version": 2, "title": "Easier", "status": "done"})
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "title"]]

    # A stale write (another device) is refused with the current action.
    stale = me.call("PATCH", aid_url, json={"version": 1, "status": "dropped"})
    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == "in_progress"

    # The coach edits any field, in any later session or between them.
    coach_edit = api.call(
        "PATCH", aid_url, json={"status": "done", "due_date": "2026-04-30"},
        headers={"If-Match": '"2"'},
    )  # fmt: skip
    assert coach_edit.status_code == 200, coach_edit.text

    plan = api.ok("GET", f"/participants/{participant.id}/plan")
    history = plan["actions"][0]["history"]
    assert [(h["field"], h["old_value"], h["new_value"], h["actor"]["id"]) for h in history] == [
        ("created", None, "Weekly plan", coach.id),
        ("status", "planned", "in_progress", participant.id),
        ("due_date", None, "2026-04-30", coach.id),
        ("status", "in_progress", "done", coach.id),
    ]
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)

    # The participant sees the agreed action with its history too.
    mine = me.ok("GET", f"/participants/{participant.id}/plan")
    assert [(a["title"], a["status"]) for a in mine["actions"]] == [("Weekly plan", "done")]


def test_an_unchanged_patch_changes_nothing(
    api_for: Callable[[User], Api], submitted: SubmitFactory, participant: User, coach: User
) -> None:
    api = api_for(coach)
    rid = _session(api, submitted(participant))
    action = api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Plan"})
    same = api.ok("PATCH", f"/plan-actions/{action['id']}", json={"version": 1, "title": "Plan"})
    assert same["version"] == 1
    assert len(same["history"]) == 1
