"""Authorization rules: the audit trail (admin page, its CSV, the API): admins only."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.audit.actions import Action, Target
from app.audit.service import record_event
from tests.authz.matrix import Rule, World, admin_only


def prepare(world: World, session: Session) -> dict[str, Any]:
    """One event about the owner, so every list has a row to (not) show."""
    record_event(
        session=session,
        actor_id=world.assigned_coach.id,
        action=Action.review_viewed,
        subject_user_id=world.owner.id,
        target_type=Target.review,
        target_id=1,
    )
    session.commit()
    return {}


def _owner_filter(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"subject_user_id": ctx["owner_id"]}


RULES: list[Rule] = [
    Rule("GET", "/admin/audit", admin_only(200, anonymous=303)),
    Rule(
        "GET", "/admin/audit", admin_only(200, anonymous=303), query=_owner_filter, name="filtered"
    ),
    Rule("GET", "/admin/audit.csv", admin_only(200, anonymous=303)),
    Rule("GET", "/api/v1/audit-events", admin_only(200)),
    # A bad filter from a non-admin is still 404: the check comes before the filters.
    Rule(
        "GET",
        "/api/v1/audit-events",
        admin_only(422),
        query={"actor_id": "nobody"},
        name="bad filter",
    ),
]
