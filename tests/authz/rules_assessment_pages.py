"""Authorization rules: the participant's HTML pages (``app/assessments/pages.py``).

The owner has three ``mini`` assessments: one in progress with nothing
answered, one in progress with every item answered (ready to submit), and two
submitted (for the results and comparison pages). The questionnaire, its
no-JS save, the review and the submission are the owner's alone: even their
coach and admins get 404. Results and comparisons are personal data readable
by the owner, their assigned coach and admins. Pages send anonymous visitors
to the login page (303).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.state import AssessmentState
from tests.authz.matrix import Rule, World, owner_coach_admin, owner_only, signed_in

ANSWERS = {"pl-1": 4, "pl-2a": 4, "pl-2b": 4, "pl-3": 0, "rv-1": 4, "rv-3a": 0, "rv-3b": 0}


def _complete(session: Session, owner: User) -> AssessmentState:
    state = assessments.create_assessment(session=session, user=owner, rubric_id="mini")
    return assessments.save_responses(
        session=session,
        user=owner,
        assessment_id=state.id,
        expected_version=state.version,
        responses=ANSWERS,
    )


def _submitted(session: Session, owner: User) -> AssessmentState:
    state = _complete(session, owner)
    return assessments.submit_assessment(
        session=session, user=owner, assessment_id=state.id, expected_version=state.version
    )


def prepare(world: World, session: Session) -> dict[str, Any]:
    owner = world.owner
    draft = assessments.create_assessment(session=session, user=owner, rubric_id="mini")
    complete = _complete(session, owner)
    earlier, later = _submitted(session, owner), _submitted(session, owner)
    return {
        "assessment_id": draft.id,
        "version": draft.version,
        "complete_id": complete.id,
        "complete_version": complete.version,
        "submitted_id": later.id,
        "earlier_id": earlier.id,
    }


PAGE = "/assessments/{assessment_id:id}"

RULES: list[Rule] = [
    Rule("GET", "/assessments", signed_in(200, anonymous=303)),
    Rule("POST", "/assessments/new", signed_in(303, anonymous=303), form={"rubric_id": "mini"}),
    Rule(
        "GET",
        "/assessments/compare",
        owner_coach_admin(200, anonymous=303),
        query=lambda ctx: {"a": ctx["earlier_id"], "b": ctx["submitted_id"]},
    ),
    Rule("GET", PAGE, owner_only(200, anonymous=303)),
    Rule(
        "POST",
        PAGE + "/role",
        owner_coach_admin(303, anonymous=303),
        form=lambda ctx: {"version": str(ctx["version"]), "role_id": ""},
    ),
    Rule(
        "POST",
        PAGE,
        owner_only(303, anonymous=303),
        form=lambda ctx: {
            "section": "1",
            "version": str(ctx["version"]),
            "go": "next",
            "a.pl-1": "3",
            "o.pl-1": "",
        },
    ),
    Rule("GET", PAGE + "/review", owner_only(200, anonymous=303)),
    Rule(
        "GET",
        PAGE + "/confirm",
        owner_only(200, anonymous=303),
        params=lambda ctx: {"assessment_id": ctx["complete_id"]},
    ),
    Rule(
        "POST",
        PAGE + "/submit",
        owner_only(303, anonymous=303),
        params=lambda ctx: {"assessment_id": ctx["complete_id"]},
        form=lambda ctx: {"version": str(ctx["complete_version"])},
    ),
    Rule(
        "GET",
        PAGE + "/results",
        owner_coach_admin(200, anonymous=303),
        params=lambda ctx: {"assessment_id": ctx["submitted_id"]},
    ),
]
