"""Growth over time: per behavior, how self and coach levels moved between assessments."""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import User
from tests.coaching.conftest import MINI_ANSWERS, Api, SubmitFactory


def test_growth_between_two_reviewed_assessments(
    api_for: Callable[[User], Api], submitted: SubmitFactory, participant: User, coach: User
) -> None:
    api = api_for(coach)
    first = submitted(participant)  # planning self 2, review self 0
    rid = api.start(first)["id"]
    ratings = {"planning": {"coach_level": 1}, "review": {"coach_level": 1}}
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
    api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})

    second = submitted(participant, dict.fromkeys(MINI_ANSWERS, 4))  # everything: self 3
    rid2 = api.start(second)["id"]
    ratings = {"planning": {"coach_level": 2}, "review": {"coach_level": 3}}
    api.ok("PATCH", f"/reviews/{rid2}", json={"version": 1, "ratings": ratings})

    # The second session is still in progress: growth uses finalized ratings only.
    growth = api.ok("GET", f"/participants/{participant.id}/growth")
    assert [a["id"] for a in growth["assessments"]] == [first, second]
    planning, review = growth["behaviors"]
    assert [(p["self_level"], p["coach_level"]) for p in planning["points"]] == [(2, 1), (3, None)]
    assert (planning["self_change"], planning["coach_change"]) == (1, None)

    api.ok("POST", f"/reviews/{rid2}/finalize", json={"version": 2})
    growth = api.ok("GET", f"/participants/{participant.id}/growth")
    planning, review = growth["behaviors"]
    assert (planning["self_change"], planning["coach_change"]) == (1, 1)
    assert (review["self_change"], review["coach_change"]) == (3, 2)
    # The participant may see their own growth (finalized, shared levels only).
    mine = api_for(participant).ok("GET", f"/participants/{participant.id}/growth")
    assert mine == growth


def test_growth_without_assessments_is_empty(
    api_for: Callable[[User], Api], participant: User, coach: User
) -> None:
    growth = api_for(coach).ok("GET", f"/participants/{participant.id}/growth")
    assert growth == {"participant_id": participant.id, "assessments": [], "behaviors": []}
