"""The whole lifecycle over HTTP: create, autosave from two tabs, resume, submit, history."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.assessments.models import Assessment
from app.rubrics.schemas import Rubric
from app.scoring import METHOD, score_responses
from tests.assessments.conftest import Api, all_answers


def test_the_lifecycle_of_an_assessment(
    api_for: Callable[[User], Api], participant: User, product_owner: Rubric
) -> None:
    api = api_for(participant)
    items = list(product_owner.items_by_id)

    # Create: pinned to the current version, version 1, nothing answered.
    response = api.call("POST", "/api/v1/assessments", json={"rubric_id": "product-owner"})
    assert response.status_code == 201
    created = response.json()
    aid = created["id"]
    assert response.headers["Location"] == f"/api/v1/assessments/{aid}"
    assert response.headers["ETag"] == '"1"'
    assert created["rubric"] == {
        "id": "product-owner",
        "version": "1.3",
        "title": product_owner.title,
    }
    assert (
        created
        | {
            "status": "in_progress",
            "version": 1,
            "answered": 0,
            "total": len(items),
            "responses": {},
            "result": None,
        }
        == created
    )
    assert created["missing"] == items

    # Autosave a few items at a time, with the version from the body or If-Match.
    first = api.patch(aid, 1, {items[0]: 4, items[1]: "n/a"})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"2"'
    assert first.json()["responses"] == {items[0]: 4, items[1]: "n/a"}
    second = api.patch(aid, None, {items[2]: 2}, headers={"If-Match": '"2"'})
    assert second.status_code == 200, second.text
    assert second.json()["version"] == 3

    # Two tabs at version 3: tab A saves items[3]; tab B, still at 3, saves items[4].
    tab_a = api.patch(aid, 3, {items[3]: 5})
    assert tab_a.status_code == 200
    tab_b = api.patch(aid, 3, {items[4]: 1})
    assert tab_b.status_code == 409
    assert tab_b.headers["ETag"] == '"4"'
    current = tab_b.json()["current"]
    assert current["version"] == 4 and current["responses"][items[3]] == 5
    assert items[4] not in current["responses"]  # the stale save changed nothing
    # Tab B merges its pending answer onto the current state and retries.
    retry = api.patch(aid, current["version"], {items[4]: 1})
    assert retry.status_code == 200
    assert retry.json()["responses"] == {
        items[0]: 4,
        items[1]: "n/a",
        items[2]: 2,
        items[3]: 5,
        items[4]: 1,
    }

    # null clears an answer.
    cleared = api.patch(aid, 5, {items[2]: None})
    assert items[2] not in cleared.json()["responses"] and cleared.json()["version"] == 6

    # Resume later: GET shows the answers and the version to save against.
    resumed = api.call("GET", f"/api/v1/assessments/{aid}")
    assert resumed.status_code == 200 and resumed.headers["ETag"] == '"6"'
    assert resumed.json()["responses"] == {items[0]: 4, items[1]: "n/a", items[3]: 5, items[4]: 1}
    assert resumed.json()["answered"] == 4

    # Submitting an incomplete assessment lists exactly what is missing; nothing changes.
    incomplete = api.submit(aid, 6)
    assert incomplete.status_code == 422
    missing = [i for i in items if i not in {items[0], items[1], items[3], items[4]}]
    assert incomplete.json()["missing"] == missing
    assert [e["loc"] for e in incomplete.json()["errors"]] == [["responses", i] for i in missing]
    assert api.call("GET", f"/api/v1/assessments/{aid}").json()["version"] == 6

    # Complete it and submit: the stored result is what the engine computes, with its method.
    answers = all_answers(product_owner, 3) | {
        items[0]: 4,
        items[1]: "n/a",
        items[3]: 5,
        items[4]: 1,
    }
    completed = api.patch(aid, 6, {k: v for k, v in answers.items() if k not in {items[0]}})
    assert completed.status_code == 200 and completed.json()["missing"] == []
    submitted = api.submit(aid, 7)
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    expected = score_responses(product_owner, answers).model_dump(mode="json")
    assert body["status"] == "submitted" and body["submitted_at"] is not None
    assert body["method"] == METHOD and body["result"] == expected

    # GET result returns the stored ScoringResult.
    result = api.call("GET", f"/api/v1/assessments/{aid}/result")
    assert result.status_code == 200 and result.json() == expected

    # Submitted is immutable: no edits, no second submission, no deletion.
    edit = api.patch(aid, 8, {items[0]: 1})
    assert edit.status_code == 409 and "immutable" in edit.json()["detail"]
    assert edit.json()["current"]["status"] == "submitted"
    assert api.submit(aid, 8).status_code == 409
    assert api.call("DELETE", f"/api/v1/assessments/{aid}").status_code == 409
    assert api.call("GET", f"/api/v1/assessments/{aid}/result").json() == expected

    # History: the caller's list and the participant's list show it with its result.
    mine = api.call("GET", "/api/v1/assessments").json()
    theirs = api.call("GET", f"/api/v1/participants/{participant.id}/assessments").json()
    assert mine == theirs
    assert [(a["id"], a["status"], a["result"]) for a in mine] == [(aid, "submitted", expected)]
    assert mine[0]["answered"] == len(items) and "responses" not in mine[0]


def test_history_is_chronological_with_progress(
    api_for: Callable[[User], Api], participant: User, mini: Rubric
) -> None:
    api = api_for(participant)
    first = api.create("mini", title="  January  ")
    second = api.create("mini")
    assert first["title"] == "January" and second["title"] is None
    assert api.patch(second["id"], 1, {"pl-1": 3, "rv-1": 0}).status_code == 200
    assert api.submit(first["id"], 1).status_code == 422
    assert api.patch(first["id"], 1, all_answers(mini, 4)).status_code == 200
    assert api.submit(first["id"], 2).status_code == 200

    history = api.call("GET", "/api/v1/assessments").json()
    assert [(a["id"], a["status"], a["answered"], a["total"]) for a in history] == [
        (first["id"], "submitted", 7, 7),
        (second["id"], "in_progress", 2, 7),
    ]
    assert history[0]["result"]["competencies"][0]["level"] == 3
    assert history[1]["result"] is None
    assert (
        api.call("GET", f"/api/v1/assessments/{second['id']}/result").json()["detail"]
        == "Assessment not submitted yet: it has no result"
    )


def test_result_is_not_scored_again(
    api_for: Callable[[User], Api], participant: User, mini: Rubric, session: Session
) -> None:
    """The stored JSON is returned as stored, even if the engine would now say otherwise."""
    api = api_for(participant)
    aid = api.create("mini")["id"]
    api.patch(aid, 1, all_answers(mini, 0))
    assert api.submit(aid, 2).status_code == 200
    row = session.get(Assessment, aid)
    assert row is not None and row.result is not None
    doctored = row.result | {"method": "stepwise-threshold/0"}
    row.result = doctored
    session.add(row)
    session.commit()
    assert api.call("GET", f"/api/v1/assessments/{aid}/result").json() == doctored


def test_create_pins_a_version_and_rejects_unknown_rubrics(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    pinned = api.create("mini", version="2")
    assert pinned["rubric"]["version"] == "2"
    unknown = api.call("POST", "/api/v1/assessments", json={"rubric_id": "nope"})
    assert unknown.status_code == 422
    assert [e["loc"] for e in unknown.json()["errors"]] == [["body", "rubric_id"]]
    bad_version = api.call(
        "POST", "/api/v1/assessments", json={"rubric_id": "mini", "version": "9"}
    )
    assert bad_version.status_code == 422
    assert [e["loc"] for e in bad_version.json()["errors"]] == [["body", "version"]]
    extra = api.call("POST", "/api/v1/assessments", json={"rubric_id": "mini", "owner": 1})
    assert extra.status_code == 422


def test_bad_answers_are_all_named_and_nothing_is_saved(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    aid = api.create("mini")["id"]
    bad = api.patch(aid, 1, {"pl-1": 5, "pl-2a": "n/a", "rv-1": True, "nope-1": 1, "pl-3": 2})
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["errors"]] == [
        ["body", "responses", "pl-1"],
        ["body", "responses", "pl-2a"],
        ["body", "responses", "rv-1"],
        ["body", "responses", "nope-1"],
    ]
    assert "is outside the scale 0..4" in bad.json()["errors"][0]["msg"]
    state = api.call("GET", f"/api/v1/assessments/{aid}").json()
    assert state["version"] == 1 and state["responses"] == {}


def test_the_version_must_be_sent_and_must_agree(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    aid = api.create("mini")["id"]
    assert api.patch(aid, None, {"pl-1": 1}).status_code == 428
    assert api.call("POST", f"/api/v1/assessments/{aid}/submit").status_code == 428
    disagree = api.patch(aid, 1, {"pl-1": 1}, headers={"If-Match": '"2"'})
    assert disagree.status_code == 422
    assert disagree.json()["errors"][0]["loc"] == ["header", "If-Match"]
    star = api.patch(aid, None, {"pl-1": 1}, headers={"If-Match": "*"})
    assert star.status_code == 422
    agree = api.patch(aid, 1, {"pl-1": 1}, headers={"If-Match": 'W/"1"'})
    assert agree.status_code == 200 and agree.json()["version"] == 2
    # A version from the future is as stale as one from the past.
    assert api.patch(aid, 7, {"pl-1": 2}).status_code == 409
    # An empty save changes nothing and keeps the version, but still checks it.
    assert api.patch(aid, 2, {}).json()["version"] == 2
    assert api.patch(aid, 1, {}).status_code == 409


def test_delete_in_progress_only(
    api_for: Callable[[User], Api], participant: User, mini: Rubric
) -> None:
    api = api_for(participant)
    aid = api.create("mini")["id"]
    api.patch(aid, 1, {"pl-1": 1})
    assert (
        api.call("DELETE", f"/api/v1/assessments/{aid}", headers={"If-Match": '"1"'}).status_code
        == 409
    )
    assert api.call("DELETE", f"/api/v1/assessments/{aid}").status_code == 204
    assert api.call("GET", f"/api/v1/assessments/{aid}").status_code == 404
    assert api.call("GET", "/api/v1/assessments").json() == []


def test_every_route_needs_authentication(
    api_for: Callable[[User], Api], participant: User
) -> None:
    aid = api_for(participant).create("mini")["id"]
    anonymous = Api(api_for(participant).client, {})
    calls = [
        ("POST", "/api/v1/assessments"),
        ("GET", "/api/v1/assessments"),
        ("GET", f"/api/v1/assessments/{aid}"),
        ("PATCH", f"/api/v1/assessments/{aid}/responses"),
        ("POST", f"/api/v1/assessments/{aid}/submit"),
        ("GET", f"/api/v1/assessments/{aid}/result"),
        ("DELETE", f"/api/v1/assessments/{aid}"),
        ("GET", f"/api/v1/participants/{participant.id}/assessments"),
        ("POST", "/api/v1/score"),
    ]
    for method, url in calls:
        assert anonymous.call(method, url, json={}).status_code == 401, (method, url)
