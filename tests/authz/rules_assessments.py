"""Authorization rules: the assessment API (``app/assessments/routes.py``).

The owner has three ``mini`` assessments: a draft (in progress, nothing
answered), a complete one (in progress, every item answered: ready to
submit) and a submitted one (it has a result). Changing an assessment --
answers, submission, deletion -- is the owner's alone: even their coach and
admins get 404. Picking its role profile is for the owner and their coach
(or an admin acting as one). Reading it, its result and the owner's history is for the
owner, their assigned coach and admins. Creating, listing one's own and
stateless scoring are for anyone signed in.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, owner_coach_admin, owner_only, signed_in
from tests.fixtures.assessments import make_assessment

ANSWERS = {"pl-1": 4, "pl-2a": 4, "pl-2b": 3, "pl-3": 0, "rv-1": 4, "rv-3a": 1, "rv-3b": 0}
ONE = "/api/v1/assessments/{assessment_id}"


def prepare(world: World, session: Session) -> dict[str, Any]:
    owner = world.owner
    draft = make_assessment(session=session, user=owner, answers=None, submit=False)
    complete = make_assessment(session=session, user=owner, answers=ANSWERS, submit=False)
    submitted = make_assessment(session=session, user=owner, answers=ANSWERS)
    return {
        "assessment_id": draft.id,
        "version": draft.version,
        "complete_id": complete.id,
        "complete_version": complete.version,
        "submitted_id": submitted.id,
        "participant_id": owner.id,
    }


def _on(key: str) -> Any:
    return lambda ctx: {"assessment_id": ctx[key]}


RULES: list[Rule] = [
    Rule("POST", "/api/v1/assessments", signed_in(201), json={"rubric_id": "mini"}),
    Rule("GET", "/api/v1/assessments", signed_in(200)),
    Rule("GET", ONE, owner_coach_admin(200)),
    Rule("GET", ONE, owner_coach_admin(200), params=_on("submitted_id"), name="submitted"),
    Rule(
        "PATCH",
        ONE + "/responses",
        owner_only(200),
        json=lambda ctx: {"version": ctx["version"], "responses": {"pl-1": 3, "rv-1": None}},
    ),
    Rule(
        "PATCH",
        ONE + "/responses",
        owner_only(409),
        params=_on("submitted_id"),
        json={"version": 3, "responses": {"pl-1": 1}},
        name="submitted is immutable",
    ),
    Rule(
        "POST",
        ONE + "/submit",
        owner_only(200),
        params=_on("complete_id"),
        json=lambda ctx: {"version": ctx["complete_version"]},
    ),
    Rule(
        "POST",
        ONE + "/submit",
        owner_only(422),
        json=lambda ctx: {"version": ctx["version"]},
        name="incomplete",
    ),
    Rule(
        "PUT",
        ONE + "/role",
        owner_coach_admin(200),
        json=lambda ctx: {"version": ctx["version"], "role_id": None},
    ),
    Rule(
        "PUT",
        ONE + "/role",
        owner_coach_admin(422),
        json=lambda ctx: {"version": ctx["version"], "role_id": "no-such-role"},
        name="unknown role",
    ),
    Rule("GET", ONE + "/result", owner_coach_admin(200), params=_on("submitted_id")),
    Rule("GET", ONE + "/result", owner_coach_admin(409), name="not submitted"),
    Rule("DELETE", ONE, owner_only(204)),
    Rule("DELETE", ONE, owner_only(409), params=_on("submitted_id"), name="submitted is kept"),
    Rule(
        "GET",
        "/api/v1/participants/{participant_id}/assessments",
        owner_coach_admin(200),
    ),
    Rule(
        "POST",
        "/api/v1/score",
        signed_in(200),
        json={"rubric_id": "mini", "responses": {"pl-1": 3, "rv-1": 4}},
    ),
]
