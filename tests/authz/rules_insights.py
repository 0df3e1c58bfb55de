"""Authorization rules: team insights and result exports (the cohort's coaches, admins; 404 else).

The owner is a member of the cohort, coached in it by the assigned coach; the
unassigned coach coaches nobody in it. The aggregates-only role has its own
tests (tests/programmes/test_insights_service.py), as the matrix has no lead.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, coach_admin
from tests.fixtures.insights import add_cycle, add_member, new_group, take_part


def prepare(world: World, session: Session) -> dict[str, Any]:
    group = new_group(session)
    cycle_id = add_cycle(session, group)
    add_member(session, group, world.owner, coach=world.assigned_coach)
    take_part(session, cycle_id, world.owner, planning=2, review=1)
    return {"cycle_id": cycle_id, "cohort_id": group.cohort_id}


API = "/api/v1/cycles/{cycle_id}/insights"

RULES: list[Rule] = [
    Rule("GET", f"{API}/distribution", coach_admin(200)),
    Rule("GET", f"{API}/change", coach_admin(200)),
    Rule("GET", f"{API}/heatmap", coach_admin(200)),
    Rule("GET", "/cohorts/{cohort_id:id}/insights", coach_admin(200, anonymous=303)),
    Rule("GET", "/api/v1/cohorts/{cohort_id}/results.csv", coach_admin(200)),
    Rule("GET", "/api/v1/cohorts/{cohort_id}/results.xlsx", coach_admin(200)),
    Rule("GET", "/cohorts/{cohort_id:id}/results.csv", coach_admin(200, anonymous=303)),
    Rule("GET", "/cohorts/{cohort_id:id}/results.xlsx", coach_admin(200, anonymous=303)),
    Rule("GET", f"{API}/summary.pdf", coach_admin(200)),
    Rule("GET", "/cycles/{cycle_id:id}/summary.pdf", coach_admin(200, anonymous=303)),
]
