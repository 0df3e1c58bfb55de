"""Authorization rules: one's own data export, an admin's erasure of a person (docs/privacy.md).

Everyone signed in exports their own data (there is no id to try someone
else's). Erasure is for admins; anyone else gets 404, like a page that does
not exist, and an admin cannot erase their own account (409).
"""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import Rule, admin_only, expect, signed_in


def _owner(ctx: Any) -> dict[str, Any]:
    return {"user_id": ctx["owner_id"]}


def _admin(ctx: Any) -> dict[str, Any]:
    return {"user_id": ctx["admin_id"]}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/me/export", signed_in(200)),
    Rule("POST", "/api/v1/users/{user_id}/erase", admin_only(204), params=_owner),
    Rule(
        "POST",
        "/api/v1/users/{user_id}/erase",
        admin_only(409),
        params=_admin,
        name="oneself",
    ),
    Rule("GET", "/account/data", signed_in(200, anonymous=303)),
    Rule("GET", "/account/data/export", signed_in(200, anonymous=303)),
    Rule(
        "GET",
        "/admin/users/{user_id}/erase",
        admin_only(200, anonymous=303),
        params=_owner,
    ),
    Rule(
        "POST",
        "/admin/users/{user_id}/erase",
        admin_only(303, anonymous=303),
        params=_owner,
        form=lambda ctx: {"confirm_email": ctx["owner_email"]},
    ),
    Rule(
        "POST",
        "/admin/users/{user_id}/erase",
        expect(
            anonymous=303,
            owner=404,
            other_participant=404,
            assigned_coach=404,
            unassigned_coach=404,
            admin=422,
        ),
        params=_owner,
        form={"confirm_email": "someone-else@example.test"},
        name="not confirmed",
    ),
]
