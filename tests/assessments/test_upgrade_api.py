"""Moving an in-progress assessment to a newer rubric version over the JSON API.

``mini`` version "3" (tests/fixtures/rubric_models.py) rewords pl-2a, removes
pl-3, adds pl-4 and moves rv-3b; the assessments below were started on "2".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.accounts.models import Role, User
from app.assessments import service
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.rubrics.loader import parse_rubric
from tests.fixtures.api import Api
from tests.fixtures.assessments import MINI_CONSISTENT, SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.rubric_models import (
    MINI_3_KEPT,
    MINI_3_TO_ANSWER,
    mini_document,
    mini_version_3,
    store_rubric,
)

URL = "/assessments/{}/upgrade"


def _answered_draft(me: Api, session: Session | None = None) -> dict[str, Any]:
    """A draft on ``mini`` "2" answered with MINI_CONSISTENT; with ``session``, "3" is
    made current afterwards."""
    created = me.create("mini")
    response = me.patch(created["id"], created["version"], MINI_CONSISTENT)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    if session is not None:
        store_rubric(session, mini_version_3())
    return body


def test_the_preview_and_the_move_keep_unchanged_answers(
    session: Session, participant: User, api_for: Callable[[User], Api]
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me)
    latest = me.ok("GET", URL.format(draft["id"]))
    assert (latest["status"], latest["plan"]) == ("latest", None)

    store_rubric(session, mini_version_3())
    preview = me.ok("GET", URL.format(draft["id"]))
    assert preview["status"] == "available"
    assert (preview["pinned_version"], preview["current_version"]) == ("2", "3")
    assert preview["version"] == draft["version"]
    assert tuple(preview["plan"]["kept"]) == MINI_3_KEPT
    assert {i["item_id"]: i["change"] for i in preview["plan"]["to_answer"]} == MINI_3_TO_ANSWER

    response = me.call("POST", URL.format(draft["id"]), json={"version": draft["version"]})
    assert response.status_code == 200, response.text
    moved = response.json()
    assert response.headers["ETag"] == f'"{draft["version"] + 1}"'
    assert moved["plan"] == preview["plan"]
    assessment = moved["assessment"]
    assert assessment["rubric"]["version"] == "3"
    assert assessment["version"] == draft["version"] + 1
    assert assessment["responses"] == {i: MINI_CONSISTENT[i] for i in MINI_3_KEPT}
    assert assessment["missing"] == ["pl-2a", "pl-4", "rv-3b"]
    # The stored answers are the kept ones: a fresh read agrees with the move's answer.
    again = me.ok("GET", f"/assessments/{draft['id']}")
    assert again["responses"] == assessment["responses"]
    assert me.ok("GET", URL.format(draft["id"]))["status"] == "latest"


def test_autosave_follows_the_new_version(
    session: Session, participant: User, api_for: Callable[[User], Api]
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me, session)
    moved = me.ok("POST", URL.format(draft["id"]), json={"version": draft["version"]})
    version = moved["assessment"]["version"]
    removed = me.patch(draft["id"], version, {"pl-3": 1})
    assert removed.status_code == 422
    assert removed.json()["errors"][0]["loc"] == ["body", "responses", "pl-3"]
    added = me.patch(draft["id"], version, {"pl-4": 2, "pl-2a": 3, "rv-3b": 0})
    assert added.status_code == 200, added.text
    submitted = me.submit(draft["id"], added.json()["version"])
    assert submitted.status_code == 200, submitted.text


def test_a_stale_version_is_a_409_with_the_current_state(
    session: Session, participant: User, api_for: Callable[[User], Api]
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me, session)
    stale = me.call("POST", URL.format(draft["id"]), json={"version": draft["version"] - 1})
    assert stale.status_code == 409
    assert stale.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = stale.json()
    assert body["current"]["version"] == draft["version"]
    assert body["current"]["rubric"]["version"] == "2"  # nothing moved
    assert stale.headers["ETag"] == f'"{draft["version"]}"'
    with_header = me.call(
        "POST", URL.format(draft["id"]), json={}, headers={"If-Match": f'"{draft["version"]}"'}
    )
    assert with_header.status_code == 200, with_header.text
    assert me.call("POST", URL.format(draft["id"]), json={}).status_code == 428


def test_submitted_assessments_stay_pinned(
    session: Session,
    participant: User,
    submitted: SubmitFactory,
    api_for: Callable[[User], Api],
) -> None:
    me = api_for(participant)
    aid = submitted(participant)
    store_rubric(session, mini_version_3())
    assert me.ok("GET", URL.format(aid))["status"] == "pinned"
    refused = me.call("POST", URL.format(aid), json={"version": 3})
    assert refused.status_code == 409
    body = refused.json()
    assert "pinned" in body["detail"]
    assert body["errors"][0]["loc"] == ["assessment", "status"]
    state = service.get_own_assessment(session=session, user=participant, assessment_id=aid)
    assert state.rubric_version.version == "2"


def test_already_latest_and_another_target_are_refused(
    session: Session, participant: User, api_for: Callable[[User], Api]
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me)
    latest = me.call("POST", URL.format(draft["id"]), json={"version": draft["version"]})
    assert latest.status_code == 409
    assert latest.json()["errors"][0]["type"] == "latest"
    store_rubric(session, mini_version_3())
    older = me.call(
        "POST", URL.format(draft["id"]), json={"version": draft["version"], "to_version": "2"}
    )
    assert older.status_code == 422
    assert older.json()["errors"][0]["loc"] == ["body", "to_version"]
    named = me.call(
        "POST", URL.format(draft["id"]), json={"version": draft["version"], "to_version": "3"}
    )
    assert named.status_code == 200, named.text


def test_others_get_404_and_the_coach_only_previews(
    session: Session,
    participant: User,
    coach: User,
    make_user: UserFactory,
    api_for: Callable[[User], Api],
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me, session)
    url = URL.format(draft["id"])
    other = api_for(make_user(Role.participant))
    assert other.call("GET", url).status_code == 404
    assert other.call("POST", url, json={"version": draft["version"]}).status_code == 404
    assert api_for(coach).ok("GET", url)["status"] == "available"
    assert api_for(coach).call("POST", url, json={"version": draft["version"]}).status_code == 404
    admin = api_for(make_user(Role.admin))
    assert admin.ok("GET", url)["status"] == "available"
    assert admin.call("POST", url, json={"version": draft["version"]}).status_code == 404
    assert me.ok("GET", f"/assessments/{draft['id']}")["rubric"]["version"] == "2"


def test_a_new_scale_clears_every_answer(
    session: Session, participant: User, api_for: Callable[[User], Api]
) -> None:
    me = api_for(participant)
    draft = _answered_draft(me)
    data = mini_document() | {"version": "4", "scale": {"min": 1, "max": 5, "allow_na": True}}
    store_rubric(session, parse_rubric(data, source="mini with a new scale"))
    moved = me.ok("POST", URL.format(draft["id"]), json={"version": draft["version"]})
    assert moved["plan"]["scale_changed"] and moved["plan"]["kept"] == []
    assert moved["assessment"]["responses"] == {}
    assert moved["assessment"]["answered"] == 0
