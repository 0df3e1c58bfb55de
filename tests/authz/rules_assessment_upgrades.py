"""Authorization rules: moving an assessment to a newer rubric version (API and page).

The owner has a ``mini`` draft with answers and a submitted assessment, both
on version "2", and version "3" is current. The move is the owner's alone
(even their coach and admins get 404, like every change of an assessment);
the preview is personal data readable by the owner, their assigned coach and
admins. A submitted assessment's preview says "pinned"; moving it is 409.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, owner_coach_admin, owner_only
from tests.fixtures.assessments import MINI_CONSISTENT, make_assessment
from tests.fixtures.rubric_models import mini_version_3, store_rubric

API = "/api/v1/assessments/{assessment_id}/upgrade"
PAGE = "/assessments/{assessment_id:id}"


def prepare(world: World, session: Session) -> dict[str, Any]:
    owner = world.owner
    draft = make_assessment(session=session, user=owner, answers=MINI_CONSISTENT, submit=False)
    submitted = make_assessment(session=session, user=owner, answers=MINI_CONSISTENT)
    store_rubric(session, mini_version_3())
    return {
        "assessment_id": draft.id,
        "version": draft.version,
        "submitted_id": submitted.id,
        "submitted_version": submitted.version,
    }


def _submitted(ctx: Any) -> dict[str, Any]:
    return {"assessment_id": ctx["submitted_id"]}


RULES: list[Rule] = [
    Rule("GET", API, owner_coach_admin(200)),
    Rule("GET", API, owner_coach_admin(200), params=_submitted, name="pinned"),
    Rule("POST", API, owner_only(200), json=lambda ctx: {"version": ctx["version"]}),
    Rule(
        "POST",
        API,
        owner_only(409),
        params=_submitted,
        json=lambda ctx: {"version": ctx["submitted_version"]},
        name="submitted stays pinned",
    ),
    Rule("GET", PAGE, owner_only(200, anonymous=303), name="with the upgrade banner"),
    Rule(
        "POST",
        PAGE + "/upgrade",
        owner_only(303, anonymous=303),
        form=lambda ctx: {"version": str(ctx["version"])},
    ),
]
