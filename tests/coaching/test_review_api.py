"""A review session over HTTP: start, autosave, validation, conflicts, finalize, share."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.rubrics.schemas import Rubric
from tests.coaching.conftest import CoachingPair, rate_all


def test_a_whole_session(pair: CoachingPair) -> None:
    aid = pair.submit()
    api = pair.coach_api()

    # Start: version 1, every behavior side by side with the self-assessment.
    response = api.call("POST", f"/assessments/{aid}/reviews")
    assert response.status_code == 201, response.text
    review = response.json()
    rid = review["id"]
    assert response.headers["Location"] == f"/api/v1/reviews/{rid}"
    assert response.headers["ETag"] == '"1"'
    assert review | {"status": "draft", "version": 1, "private_notes": "", "plan": []} == review
    assert review["coach"]["id"] == pair.coach.id
    planning, rev = review["behaviors"]
    assert planning | {"behavior_id": "planning", "self_level": 2, "consistent": True,
                       "self_level_name": "Practitioner", "coach_level": None,
                       "flag": None, "development_path": []} == planning  # fmt: skip
    assert [lvl["order"] for lvl in planning["levels"]] == [0, 1, 2, 3]
    # The sparse behavior offers only the levels it defines; its answers broke the pattern.
    assert rev | {"self_level": 0, "consistent": False} == rev
    assert [(lvl["order"], lvl["id"]) for lvl in rev["levels"]] == [
        (0, None), (1, "novice"), (3, "expert")
    ]  # fmt: skip
    assert review["flags"] == {"blind_spot": 0, "hidden_strength": 0, "aligned": 0, "unrated": 2}

    # Autosave a rating, a target and notes; the flags are computed, never typed.
    saved = api.save(
        rid,
        1,
        ratings={"planning": {"coach_level": 1, "target_level": 3, "rationale": " Weekly only "}},
        shared_notes="Great progress on planning.",
        private_notes="Seems stressed.",
    )
    assert saved.status_code == 200, saved.text
    assert saved.headers["ETag"] == '"2"'
    body = saved.json()
    planning = body["behaviors"][0]
    assert planning["flag"] == "blind_spot"  # self 2 > coach 1
    assert planning["rationale"] == "Weekly only"
    assert planning["target_level_name"] == "Expert"
    assert [(s["level"], s["is_current"]) for s in planning["development_path"]] == [
        ("novice", True), ("practitioner", False), ("expert", False)
    ]  # fmt: skip
    assert planning["development_path"][1]["actions"] == ["Hold a weekly review."]
    assert body["shared_notes"] == "Great progress on planning."
    assert body["private_notes"] == "Seems stressed."

    # A partial save keeps what it does not mention; If-Match works as well as version.
    second = api.save(rid, None, ratings={"review": {"coach_level": 3}},
                      headers={"If-Match": '"2"'})  # fmt: skip
    assert second.status_code == 200, second.text
    body = second.json()
    assert body["version"] == 3
    assert [b["flag"] for b in body["behaviors"]] == ["blind_spot", "hidden_strength"]
    assert body["behaviors"][0]["target_level"] == 3
    assert body["shared_notes"] == "Great progress on planning."
    assert body["flags"] == {"blind_spot": 1, "hidden_strength": 1, "aligned": 0, "unrated": 0}

    # Finalize: read-only afterwards.
    final = api.call("POST", f"/reviews/{rid}/finalize", json={"version": 3})
    assert final.status_code == 200, final.text
    assert final.json()["status"] == "final"
    assert final.json()["finalized_at"] is not None
    late = api.save(rid, 4, shared_notes="too late")
    assert late.status_code == 409
    assert late.json()["current"]["shared_notes"] == "Great progress on planning."
    again = api.call("POST", f"/reviews/{rid}/finalize", json={"version": 4})
    assert again.status_code == 409

    # The participant now sees the shared parts, without any private-notes field.
    mine = pair.participant_api().ok("GET", f"/reviews/{rid}")
    assert "private_notes" not in mine
    assert mine["shared_notes"] == "Great progress on planning."
    assert [b["coach_level"] for b in mine["behaviors"]] == [1, 3]
    assert "Seems stressed" not in str(mine)


def test_the_participant_sees_nothing_before_finalize(pair: CoachingPair) -> None:
    aid = pair.submit()
    rid = pair.coach_api().start(aid)["id"]
    me = pair.participant_api()
    assert me.call("GET", f"/reviews/{rid}").status_code == 404
    assert me.ok("GET", f"/assessments/{aid}/reviews") == []
    coach_list = pair.coach_api().ok("GET", f"/assessments/{aid}/reviews")
    assert [(r["id"], r["status"]) for r in coach_list] == [(rid, "draft")]
    # Participants cannot start, save or finalize reviews.
    assert me.call("POST", f"/assessments/{aid}/reviews").status_code == 404
    assert me.save(rid, 1, shared_notes="x").status_code == 404
    assert me.call("POST", f"/reviews/{rid}/finalize", json={"version": 1}).status_code == 404


def test_bad_ratings_are_located_and_nothing_is_saved(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = api.start(pair.submit())["id"]
    response = api.save(
        rid,
        1,
        shared_notes="kept?",
        ratings={
            "review": {"coach_level": 2, "target_level": 0},  # practitioner is not defined
            "planning": {"coach_level": 9},
            "nope": {"coach_level": 1},
        },
    )
    assert response.status_code == 422
    assert sorted(tuple(e["loc"]) for e in response.json()["errors"]) == [
        ("body", "ratings", "nope"),
        ("body", "ratings", "planning", "coach_level"),
        ("body", "ratings", "review", "coach_level"),
        ("body", "ratings", "review", "target_level"),
    ]
    negative = api.save(rid, 1, ratings={"planning": {"coach_level": -1}})
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["loc"][-1] == "coach_level"
    current = api.ok("GET", f"/reviews/{rid}")
    assert current["version"] == 1
    assert current["shared_notes"] == ""


def test_a_stale_save_gets_409_with_the_current_review(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = api.start(pair.submit())["id"]
    # Two tabs based on version 1: the first wins, the second must not overwrite it.
    assert api.save(rid, 1, ratings={"planning": {"coach_level": 2}}).status_code == 200
    stale = api.save(rid, 1, ratings={"planning": {"coach_level": 0}})
    assert stale.status_code == 409
    assert stale.headers["ETag"] == '"2"'
    current = stale.json()["current"]
    assert current["version"] == 2
    assert current["behaviors"][0]["coach_level"] == 2
    # No version at all: 428; disagreeing header and body: 422 on the header.
    assert api.call("PATCH", f"/reviews/{rid}", json={"shared_notes": "x"}).status_code == 428
    both = api.save(rid, 2, shared_notes="x", headers={"If-Match": '"1"'})
    assert both.status_code == 422
    assert both.json()["errors"][0]["loc"] == ["header", "If-Match"]


def test_finalize_needs_every_behavior_rated(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = api.start(pair.submit())["id"]
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1,
           "ratings": {"planning": {"coach_level": 2}}})  # fmt: skip
    response = api.call("POST", f"/reviews/{rid}/finalize", headers={"If-Match": '"2"'})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [["ratings", "review", "coach_level"]]
    after = api.ok("GET", f"/reviews/{rid}")
    assert (after["status"], after["version"]) == ("draft", 2)  # the claim was rolled back


def test_starting_a_session_needs_a_submitted_assessment_and_no_open_one(
    pair: CoachingPair, mini: Rubric
) -> None:
    me = pair.participant_api()
    draft = me.ok("POST", "/assessments", 201, json={"rubric_id": "mini"})
    api = pair.coach_api()
    assert api.call("POST", f"/assessments/{draft['id']}/reviews").status_code == 409
    assert api.call("POST", "/assessments/999999/reviews").status_code == 404

    aid = pair.submit()
    first = api.start(aid)
    busy = api.call("POST", f"/assessments/{aid}/reviews")
    assert busy.status_code == 409
    assert busy.json()["review_id"] == first["id"]

    # A follow-up session on the same assessment starts from the finalized ratings.
    ratings = {"planning": {"coach_level": 2, "target_level": 3}, "review": {"coach_level": 1}}
    api.ok("PATCH", f"/reviews/{first['id']}", json={"version": 1, "ratings": ratings})
    api.ok("POST", f"/reviews/{first['id']}/finalize", json={"version": 2})
    follow_up = api.start(aid)
    assert follow_up["id"] != first["id"]
    assert [(b["coach_level"], b["target_level"]) for b in follow_up["behaviors"]] == [
        (2, 3), (1, None)
    ]  # fmt: skip
    listed = api.ok("GET", f"/assessments/{aid}/reviews")
    assert [r["status"] for r in listed] == ["final", "draft"]
    assert [r["status"] for r in me.ok("GET", f"/assessments/{aid}/reviews")] == ["final"]


def test_product_owner_review_rates_every_behavior(
    pair: CoachingPair, product_owner: Rubric
) -> None:
    answers = dict.fromkeys(product_owner.items_by_id, 4)
    aid = pair.submit(answers, rubric_id="product-owner")
    api = pair.coach_api()
    review = api.start(aid)
    assert len(review["behaviors"]) == 23
    saved = api.save(review["id"], 1, ratings=rate_all(product_owner, 2))
    assert saved.status_code == 200, saved.text
    # Answers of 4 everywhere demonstrate every level: self 5 vs coach 2 everywhere.
    assert saved.json()["flags"]["blind_spot"] == 23
    assert api.call("POST", f"/reviews/{review['id']}/finalize", json={"version": 2}).is_success


def test_coach_home_lists_assigned_participants(
    pair: CoachingPair, make_user: Callable[..., User], session: Session
) -> None:
    other = make_user("participant")  # not assigned to this coach
    pair.submitted(other)
    aid = pair.submit()
    api = pair.coach_api()
    rid = api.start(aid)["id"]
    home = api.ok("GET", "/coaching/participants")
    assert [line["participant"]["id"] for line in home] == [pair.participant.id]
    line = home[0]
    assert line["latest_assessment"]["id"] == aid
    assert line["latest_assessment"]["status"] == "submitted"
    assert line["reviews_in_progress"] == [rid]
    assert line["assessments"] == 1
    # Someone who coaches nobody gets an empty list, not somebody else's people.
    assert pair.participant_api().ok("GET", "/coaching/participants") == []
