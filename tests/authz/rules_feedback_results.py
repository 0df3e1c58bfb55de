"""Authorization rules: the aggregated feedback results of an assessment.

The owner's submitted ``mini`` assessment: its owner, their assigned coach
and admins read the shown aggregates; everyone else gets 404. Nobody gets a
rater's answers: the route has no such field (tests/feedback/test_results_api.py).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, owner_coach_admin
from tests.fixtures.assessments import MINI_INCONSISTENT, make_assessment


def prepare(world: World, session: Session) -> dict[str, Any]:
    assessment = make_assessment(session=session, user=world.owner, answers=MINI_INCONSISTENT)
    return {"assessment_id": assessment.id}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/assessments/{assessment_id}/feedback/results", owner_coach_admin(200)),
]
