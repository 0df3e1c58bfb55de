"""``GET /api/v1/assessments/{id}/feedback/results``: shown aggregates only, for its people."""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import User
from tests.fixtures.api import Api
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory


def test_results_show_groups_at_the_threshold_and_hide_the_lone_manager(
    participant: User, coach: User, rated: int, api_for: Callable[[User], Api]
) -> None:
    body = api_for(participant).ok("GET", f"/assessments/{rated}/feedback/results")

    assert body["answered"] == 7 and body["min_raters"] == 3
    # The manager alone is no group to show (and no pool reaches three).
    assert [(g["key"], g["answered"]) for g in body["groups"]] == [
        ("peers", 3),
        ("stakeholders", 3),
    ]
    planning, review = body["behaviors"]
    assert [f["key"] for f in planning["figures"]] == ["peers", "stakeholders", "all"]
    peers, stakeholders, everyone = planning["figures"]
    # peers: orders 1, 2, 2 -> median 2; stakeholders 3, 3, 2 -> 3; all six (1,2,2,2,3,3) -> 2
    assert (peers["n"], peers["median"], peers["distribution"]) == (3, 2.0, [1, 2, 0])
    assert (stakeholders["median"], everyone["n"], everyone["median"]) == (3.0, 6, 2.0)
    assert planning["others_median"] == 2.0
    assert [c["key"] for c in planning["comments"]] == ["peers"]
    # review: one peer did not observe it -> the two other peers and the manager are
    # pooled into "others" (3), beside the stakeholders; "all" covers the six.
    assert [f["key"] for f in review["figures"]] == ["stakeholders", "others", "all"]
    others = review["figures"][1]
    assert (others["groups"], others["n"], others["not_observed"]) == (["manager", "peers"], 3, 1)
    assert (others["median"], others["distribution"]) == (1.0, [2, 0, 1])  # orders 1, 1, 3
    # The peer's comment (with "not observed") appears under the pool, unattributed.
    assert review["comments"] == [
        {"key": "others", "label": "Others", "comments": ["Not seen reviews"]}
    ]
    assert [g["key"] for g in body["keep_doing"]] == ["peers"]
    text = str(body)
    assert "MANAGER-ONLY" not in text and "@example.test" not in text
    # The assigned coach reads the same value.
    assert api_for(coach).ok("GET", f"/assessments/{rated}/feedback/results") == body


def test_self_and_coach_levels_sit_beside_the_others(
    participant: User, coach: User, rated: int, api_for: Callable[[User], Api]
) -> None:
    coach_api = api_for(coach)
    rid = coach_api.start(rated)["id"]
    ratings = {"planning": {"coach_level": 1}, "review": {"coach_level": 3}}
    coach_api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
    coach_api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})

    body = api_for(participant).ok("GET", f"/assessments/{rated}/feedback/results")

    planning, review = body["behaviors"]
    assert (planning["coach_level"], review["coach_level"]) == (1, 3)
    # MINI_ANSWERS: planning reaches practitioner (2), review stops at 0 (not yet).
    assert (planning["self_level"], review["self_level"]) == (2, 0)
    assert not planning["blind_spot"] and not planning["hidden_strength"]  # 2 vs 2
    assert review["hidden_strength"] and review["others_median"] == 2.0


def test_without_raters_nothing_is_shown(
    submitted: SubmitFactory, participant: User, api_for: Callable[[User], Api]
) -> None:
    aid = submitted(participant)
    body = api_for(participant).ok("GET", f"/assessments/{aid}/feedback/results")
    assert body["answered"] == 0 and body["groups"] == []
    assert all(b["figures"] == [] and b["others_median"] is None for b in body["behaviors"])


def test_someone_elses_assessment_is_not_found(
    submitted: SubmitFactory,
    participant: User,
    make_user: UserFactory,
    api_for: Callable[[User], Api],
) -> None:
    aid = submitted(participant)
    response = api_for(make_user()).call("GET", f"/assessments/{aid}/feedback/results")
    assert response.status_code == 404
