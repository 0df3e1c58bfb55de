"""Authorization rules: rubric health (docs/rubric-health.md) is an admin tool."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, admin_only


def prepare(world: World, session: Session) -> dict[str, Any]:
    # "mini" is loaded from tests/fixtures/rubrics for the whole run.
    return {"rubric_id": "mini"}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/rubrics/{rubric_id}/health", admin_only(200)),
    Rule("GET", "/admin/rubrics/{rubric_id}/health", admin_only(200, anonymous=303)),
]
