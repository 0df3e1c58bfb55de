"""Authorization rules: the admin pages of rubrics (admins only, 404 for everyone else)
and the diff API (shared reference data, like the rest of the rubrics API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import yaml
from sqlmodel import Session

from app.rubrics import uploads
from tests.authz.matrix import Rule, World, admin_only, signed_in
from tests.fixtures.paths import FIXTURE_RUBRICS


def prepare(world: World, session: Session) -> dict[str, Any]:
    """A pending upload of a new "mini" version by the admin, ready to confirm."""
    data = yaml.safe_load((FIXTURE_RUBRICS / "mini.yaml").read_text())
    data["version"] = "3"
    preview = uploads.preview_upload(
        session=session,
        data=yaml.safe_dump(data).encode(),
        filename="mini-3.yaml",
        uploaded_by=world.admin.id or 0,
        ttl=timedelta(hours=1),
    )
    assert preview.token is not None, preview.errors
    return {"rubric_id": "mini", "version": "2", "upload": preview.token}


page_admin_only = admin_only(200, anonymous=303)
both_versions = {"from": "2", "to": "2"}

RULES: list[Rule] = [
    Rule("GET", "/admin/rubrics", page_admin_only),
    Rule("GET", "/admin/rubrics/upload", page_admin_only),
    # Posted without a file (the matrix sends plain forms): the admin gets the form back, 422.
    Rule("POST", "/admin/rubrics/upload", admin_only(422, anonymous=303), form={}),
    Rule(
        "POST",
        "/admin/rubrics/upload/confirm",
        admin_only(303, anonymous=303),
        form=lambda ctx: {"upload": ctx["upload"]},
    ),
    Rule("GET", "/admin/rubrics/{rubric_id}/versions/{version}", page_admin_only),
    Rule("GET", "/admin/rubrics/{rubric_id}/diff", page_admin_only, query=both_versions),
    Rule("GET", "/api/v1/rubrics/{rubric_id}/diff", signed_in(200), query=both_versions),
]
