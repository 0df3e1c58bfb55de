"""Authorization rules: rubrics are shared reference data for every signed-in person."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.rubrics.case import document_id
from tests.authz.matrix import Rule, World, signed_in


def prepare(world: World, session: Session) -> dict[str, Any]:
    # "mini" is loaded from tests/fixtures/rubrics for the whole run.
    return {"rubric_id": "mini", "package_id": document_id("mini")}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/rubrics", signed_in(200)),
    Rule("GET", "/api/v1/rubrics/{rubric_id}", signed_in(200)),
    Rule("GET", "/api/v1/rubrics/{rubric_id}/download", signed_in(200), query={"format": "xlsx"}),
    # CASE 1.1 provider: the same visibility as the rubrics API.
    Rule("GET", "/ims/case/v1p1/CFPackages/{package_id}", signed_in(200)),
]
