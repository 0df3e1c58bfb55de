"""Admin pages: people, invitations, coach assignments.

Non-admins get 404 (``app.accounts.admin`` asks the policy), anonymous
browsers are sent to the login page (``PageUser``), and every form post is
CSRF-checked by the authentication dependency.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import admin, policy
from app.accounts.deps import PageUser
from app.accounts.forms import DisplayNameField, EmailField
from app.accounts.models import Role
from app.accounts.service import parse_roles
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Conflict, InvalidInput
from app.core.pages import done_flash, render_page, see_other
from app.core.types import Id

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)

#: Fixed messages after a redirect, chosen by code: nothing from the URL is echoed.
DONE_MESSAGES = {"assigned": "Coach assigned.", "unassigned": "Assignment removed."}


@router.get("", response_class=HTMLResponse)
def users_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    details = admin.list_users(session=session, actor=user)
    return render_page(request, "accounts/admin_users.html", details=details)


@router.get("/users/new", response_class=HTMLResponse)
def invite_page(request: Request, user: PageUser) -> Response:
    policy.ensure_admin(user=user)
    return _invite_form(request)


@router.post("/users/new", response_class=HTMLResponse)
def invite_submit(
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    email: EmailField = "",
    display_name: DisplayNameField = "",
    roles: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Create the invitation and show its link (once) on the same page."""
    try:
        issued = admin.invite(
            session=session,
            actor=user,
            email=email,
            roles=parse_roles(roles, loc=["body", "roles"]),
            display_name=display_name or None,
            ttl=timedelta(hours=settings.invitation_ttl_hours),
        )
    except (InvalidInput, Conflict) as exc:
        return _invite_form(
            request,
            status_code=exc.status_code,
            error=exc.detail,
            email=email,
            display_name=display_name,
            selected=roles,
        )
    link = str(request.base_url).rstrip("/") + issued.path
    return _invite_form(request, issued=issued, link=link)


def _invite_form(
    request: Request,
    *,
    status_code: int = 200,
    error: str | None = None,
    email: str = "",
    display_name: str = "",
    selected: list[str] | None = None,
    **extra: object,
) -> HTMLResponse:
    return render_page(
        request,
        "accounts/admin_invite.html",
        status_code,
        roles=list(Role),
        selected=selected if selected is not None else [Role.participant.value],
        error=error,
        email=email,
        display_name=display_name,
        issued=extra.get("issued"),
        link=extra.get("link"),
    )


@router.get("/assignments", response_class=HTMLResponse)
def assignments_page(
    request: Request, user: PageUser, session: SessionDep, done: str | None = None
) -> Response:
    overview = admin.assignment_overview(session=session, actor=user)
    return render_page(
        request,
        "accounts/admin_assignments.html",
        overview=overview,
        flash=done_flash(done, DONE_MESSAGES),
        error=None,
    )


@router.post("/assignments")
def assignments_submit(
    request: Request,
    user: PageUser,
    session: SessionDep,
    action: Annotated[Literal["assign", "unassign"], Form()],
    coach_id: Annotated[Id, Form()],
    participant_id: Annotated[Id, Form()],
) -> Response:
    """Assign or unassign, then back to the list (post/redirect/get)."""
    pair = {"coach_id": coach_id, "participant_id": participant_id}
    try:
        if action == "assign":
            admin.assign(session=session, actor=user, loc="body", **pair)
        else:
            admin.unassign(session=session, actor=user, loc="body", **pair)
    except InvalidInput as exc:
        overview = admin.assignment_overview(session=session, actor=user)
        return render_page(
            request,
            "accounts/admin_assignments.html",
            status_code=exc.status_code,
            overview=overview,
            flash=None,
            error=exc.detail,
        )
    return see_other(f"/admin/assignments?done={action}ed")
