"""Authorization rules: rubrics are shared reference data for every signed-in person."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tests.authz.matrix import Rule, World, signed_in


def prepare(world: World, session: Session) -> dict[str, Any]:
    return {"rubric_id": "mini"}  # loaded from tests/fixtures/rubrics for the whole run


RULES: list[Rule] = [
    Rule("GET", "/api/v1/rubrics", signed_in(200)),
    Rule("GET", "/api/v1/rubrics/{rubric_id}", signed_in(200)),
]
