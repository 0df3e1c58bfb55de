"""Admin pages: people, invitations, coach assignments.

Each person has a page of their own (``/admin/users/{id}``) with three no-JS
forms: their roles, deactivate/reactivate, and (while they have not set a
password) a fresh invitation link. A refused change (an admin removing their
own admin role or deactivating themselves, no role left) shows the page again
with the service's located message and changes nothing.

Non-admins get 404 (``app.accounts.admin`` asks the policy), anonymous
browsers are sent to the login page (``PageUser``), and every form post is
CSRF-checked by the authentication dependency.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts import admin, policy
from app.accounts.deps import PageUser
from app.accounts.forms import DisplayNameField, EmailField
from app.accounts.models import Role, User
from app.accounts.repository import ASSIGNMENTS_SCOPE, USERS_SCOPE
from app.accounts.service import parse_roles
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Conflict, InvalidInput
from app.core.i18n import N_
from app.core.pages import done_flash, render_page, see_other
from app.core.pagination import DEFAULT_LIMIT, MAX_CURSOR_LENGTH, Cursor, decode_cursor
from app.core.types import Id

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)

#: People (and assignments) per page of the admin lists (the API's default page size).
PAGE_SIZE = DEFAULT_LIMIT

#: Fixed messages after a redirect, chosen by code: nothing from the URL is echoed.
DONE_MESSAGES = {"assigned": N_("Coach assigned."), "unassigned": N_("Assignment removed.")}
#: The people list after an erasure (app/privacy/pages.py redirects here).
USERS_MESSAGES = {"erased": N_("The person's personal data is erased.")}
PERSON_MESSAGES = {
    "roles": N_("Roles saved."),
    "deactivated": N_("Deactivated: every sign-in of this person has ended."),
    "reactivated": N_("Reactivated: they can sign in again."),
}


@router.get("", response_class=HTMLResponse)
def users_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    after: str = "",
    email_prefix: Annotated[str, Query(max_length=254)] = "",
    done: str | None = None,
) -> Response:
    """People by email, one page at a time, optionally those whose email starts with a text."""
    page = admin.list_users(
        session=session,
        actor=user,
        after=decode_cursor(after, scope=USERS_SCOPE),
        limit=PAGE_SIZE,
        email_prefix=email_prefix,
    )
    base = "/admin" + (f"?{urlencode({'email_prefix': email_prefix})}" if email_prefix else "")
    return render_page(
        request,
        "accounts/admin_users.html",
        page=page,
        details=page.items,
        email_prefix=email_prefix,
        base=base,
        flash=done_flash(done, USERS_MESSAGES),
    )


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
    return _invite_form(request, issued=issued, link=_absolute(request, issued.path))


def _absolute(request: Request, path: str) -> str:
    """The full URL of an invitation link, shown once for the admin to pass on."""
    return str(request.base_url).rstrip("/") + path


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
    request: Request,
    user: PageUser,
    session: SessionDep,
    after: Annotated[str, Query(max_length=MAX_CURSOR_LENGTH)] = "",
    done: str | None = None,
) -> Response:
    """The assign form and one page of the current assignments, by coach."""
    return _assignments_page(
        request,
        session=session,
        actor=user,
        after=decode_cursor(after, scope=ASSIGNMENTS_SCOPE),
        flash=done_flash(done, DONE_MESSAGES),
    )


def _assignments_page(
    request: Request,
    *,
    session: Session,
    actor: User,
    after: Cursor | None,
    status_code: int = 200,
    flash: dict[str, Any] | None = None,
    error: str | None = None,
) -> HTMLResponse:
    overview = admin.assignment_overview(session=session, actor=actor, after=after, limit=PAGE_SIZE)
    return render_page(
        request,
        "accounts/admin_assignments.html",
        status_code,
        overview=overview,
        flash=flash,
        error=error,
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
        return _assignments_page(
            request,
            session=session,
            actor=user,
            after=None,
            status_code=exc.status_code,
            error=exc.detail,
        )
    return see_other(f"/admin/assignments?done={action}ed")


# -- one person: roles, deactivate/reactivate, a new invitation link ------------------------


def _person_page(
    request: Request,
    *,
    session: Session,
    actor: User,
    user_id: int,
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    detail = admin.get_user_detail(session=session, actor=actor, user_id=user_id)
    selected = extra.get("selected")
    return render_page(
        request,
        "accounts/admin_person.html",
        status_code,
        detail=detail,
        roles=list(Role),
        selected=selected if selected is not None else [r.value for r in detail.user.role_set],
        is_self=detail.user.id == actor.id,
        error=extra.get("error"),
        flash=extra.get("flash"),
        issued=extra.get("issued"),
        link=extra.get("link"),
    )


@router.get("/users/{user_id}", response_class=HTMLResponse)
def person_page(
    request: Request, user: PageUser, session: SessionDep, user_id: Id, done: str | None = None
) -> Response:
    return _person_page(
        request,
        session=session,
        actor=user,
        user_id=user_id,
        flash=done_flash(done, PERSON_MESSAGES),
    )


def _refused(
    request: Request,
    *,
    session: Session,
    actor: User,
    user_id: int,
    exc: InvalidInput | Conflict,
    selected: list[str] | None = None,
) -> HTMLResponse:
    """The person's page again, with the service's message and the refusal's status."""
    return _person_page(
        request,
        session=session,
        actor=actor,
        user_id=user_id,
        status_code=exc.status_code,
        error=exc.detail,
        selected=selected,
    )


def _change_person(
    request: Request,
    *,
    session: Session,
    actor: User,
    user_id: int,
    done: str,
    roles: frozenset[Role] | None = None,
    is_active: bool | None = None,
    selected: list[str] | None = None,
) -> Response:
    """Apply one change, then back to the person's page; a refusal shows that page with why."""
    try:
        admin.change_user(
            session=session,
            actor=actor,
            user_id=user_id,
            roles=roles,
            is_active=is_active,
            display_name=None,
        )
    except InvalidInput as exc:
        return _refused(
            request, session=session, actor=actor, user_id=user_id, exc=exc, selected=selected
        )
    return see_other(f"/admin/users/{user_id}?done={done}")


@router.post("/users/{user_id}/roles", response_class=HTMLResponse)
def person_roles(
    request: Request,
    user: PageUser,
    session: SessionDep,
    user_id: Id,
    roles: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Replace the person's roles; at least one, and never your own admin role."""
    try:
        parsed = parse_roles(roles, loc=["body", "roles"])
    except InvalidInput as exc:
        return _refused(request, session=session, actor=user, user_id=user_id, exc=exc)
    return _change_person(
        request,
        session=session,
        actor=user,
        user_id=user_id,
        done="roles",
        roles=parsed,
        selected=roles,
    )


@router.post("/users/{user_id}/status", response_class=HTMLResponse)
def person_status(
    request: Request,
    user: PageUser,
    session: SessionDep,
    user_id: Id,
    active: Annotated[Literal["true", "false"], Form()],
) -> Response:
    """Deactivate (every sign-in ends at once) or reactivate; never yourself."""
    return _change_person(
        request,
        session=session,
        actor=user,
        user_id=user_id,
        done="reactivated" if active == "true" else "deactivated",
        is_active=active == "true",
    )


@router.post("/users/{user_id}/invitation", response_class=HTMLResponse)
def person_invitation(
    request: Request, user: PageUser, session: SessionDep, settings: SettingsDep, user_id: Id
) -> Response:
    """A new invitation link for someone who has not set a password (earlier links stop).

    The link is shown once, on the page this post answers (like inviting).
    """
    person = admin.get_user_detail(session=session, actor=user, user_id=user_id).user
    try:
        issued = admin.invite(
            session=session,
            actor=user,
            email=person.email,
            roles=person.role_set,
            display_name=None,
            ttl=timedelta(hours=settings.invitation_ttl_hours),
        )
    except (InvalidInput, Conflict) as exc:
        return _refused(request, session=session, actor=user, user_id=user_id, exc=exc)
    return _person_page(
        request,
        session=session,
        actor=user,
        user_id=user_id,
        issued=issued,
        link=_absolute(request, issued.path),
    )
