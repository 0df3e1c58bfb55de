"""Authorization rules: tokens, login/logout, invitations, admin API and pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.accounts import csrf, invitations
from app.accounts.models import Role
from app.core.config import get_settings
from tests.authz.matrix import (
    Rule,
    World,
    admin_only,
    everyone,
    expect,
    one_time_link_rules,
    presession_cookie,
    signed_in,
)
from tests.fixtures.factories import PASSWORD


def prepare(world: World, session: Session) -> dict[str, Any]:
    """An open invitation, and a pre-session CSRF token for the public forms."""
    issued = invitations.invite_user(
        session=session,
        email="invitee@example.test",
        roles=frozenset({Role.participant}),
        ttl=timedelta(hours=1),
    )
    return {
        "secret": issued.secret,
        "user_id": world.owner.id,
        "invitee_id": issued.user.id,
        "presession": csrf.new_presession_token(key=get_settings().secret_key),
    }


def _login_form(password: str) -> Any:
    return lambda ctx: {
        "email": ctx["owner_email"],
        "password": password,
        "csrf_token": ctx["presession"],
    }


#: Pages: anonymous browsers are redirected to the login page.
page_admin_only = admin_only(200, anonymous=303)

RULES: list[Rule] = [
    # -- JSON API: tokens and self ---------------------------------------------
    Rule(
        "POST",
        "/api/v1/auth/token",
        everyone(200),
        form=lambda ctx: {"username": ctx["owner_email"], "password": PASSWORD},
        public=True,
    ),
    Rule(
        "POST",
        "/api/v1/auth/token",
        everyone(401),
        form=lambda ctx: {"username": ctx["owner_email"], "password": "wrong-password"},
        public=True,
        name="wrong password",
    ),
    Rule("DELETE", "/api/v1/auth/token", signed_in(204)),
    Rule("GET", "/api/v1/auth/csrf", signed_in(200)),
    Rule("GET", "/api/v1/me", signed_in(200)),
    # -- JSON API: admin -------------------------------------------------------
    Rule("GET", "/api/v1/users", admin_only(200)),
    Rule(
        "POST",
        "/api/v1/users",
        admin_only(201),
        json={"email": "new@example.test", "roles": ["participant"]},
    ),
    Rule("GET", "/api/v1/users/{user_id}", admin_only(200)),
    Rule("PATCH", "/api/v1/users/{user_id}", admin_only(200), json={"display_name": "Renamed"}),
    Rule(
        "POST",
        "/api/v1/invitations",
        admin_only(201),
        json={"email": "invited@example.test", "roles": ["coach"]},
    ),
    Rule(
        "POST",
        "/api/v1/invitations/{secret}/accept",
        everyone(200),
        json={"password": PASSWORD},
        public=True,
    ),
    Rule(
        "POST",
        "/api/v1/coach-assignments",
        admin_only(201),
        json=lambda ctx: {
            "coach_id": ctx["unassigned_coach_id"],
            "participant_id": ctx["owner_id"],
        },
    ),
    Rule(
        "DELETE",
        "/api/v1/coach-assignments",
        admin_only(204),
        query=lambda ctx: {"coach_id": ctx["assigned_coach_id"], "participant_id": ctx["owner_id"]},
    ),
    # -- pages -----------------------------------------------------------------
    Rule("GET", "/", everyone(303)),
    Rule(
        "GET",
        "/login",
        expect(
            anonymous=200,
            owner=303,
            other_participant=303,
            assigned_coach=303,
            unassigned_coach=303,
            admin=303,
        ),
        public=True,
    ),
    Rule(
        "POST",
        "/login",
        everyone(303),
        form=_login_form(PASSWORD),
        cookies=presession_cookie,
        public=True,
    ),
    Rule(
        "POST",
        "/login",
        everyone(401),
        form=_login_form("wrong-password"),
        cookies=presession_cookie,
        public=True,
        name="wrong password",
    ),
    Rule(
        "POST",
        "/login",
        everyone(403),
        form=_login_form(PASSWORD),
        public=True,
        name="no CSRF cookie",
    ),
    Rule("POST", "/logout", everyone(303)),
    *one_time_link_rules("/invitations/{secret}", password=PASSWORD),
    Rule("GET", "/admin", page_admin_only),
    Rule("GET", "/admin/users/new", page_admin_only),
    Rule(
        "POST",
        "/admin/users/new",
        page_admin_only,
        form={"email": "page-invite@example.test", "roles": ["participant"]},
    ),
    Rule("GET", "/admin/users/{user_id}", page_admin_only),
    Rule(
        "POST",
        "/admin/users/{user_id}/roles",
        admin_only(303, anonymous=303),
        form={"roles": ["participant", "coach"]},
    ),
    Rule(
        "POST",
        "/admin/users/{user_id}/status",
        admin_only(303, anonymous=303),
        form={"active": "false"},
    ),
    Rule(
        "POST",
        "/admin/users/{user_id}/invitation",
        page_admin_only,
        params=lambda ctx: {"user_id": ctx["invitee_id"]},
    ),
    Rule("GET", "/admin/assignments", page_admin_only),
    Rule(
        "POST",
        "/admin/assignments",
        admin_only(303, anonymous=303),
        form=lambda ctx: {
            "action": "assign",
            "coach_id": ctx["unassigned_coach_id"],
            "participant_id": ctx["owner_id"],
        },
    ),
]
