"""JSON API: tokens, the caller's own account, and (admins only) people and assignments.

Admin routes answer 404 to anyone else (through ``app.accounts.admin``, which
asks ``policy.ensure_admin``), like a route that does not exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from app.accounts import admin, invitations, login
from app.accounts.auth import bearer_secret, login_attempt
from app.accounts.deps import AuthDep, CurrentUser
from app.accounts.repository import USERS_SCOPE
from app.accounts.schemas import (
    AssignmentIn,
    AssignmentOut,
    CsrfTokenOut,
    InvitationAccept,
    InvitationCreate,
    InvitationOut,
    TokenOut,
    UserCreate,
    UserCreated,
    UserDetailOut,
    UserOut,
    UserUpdate,
)
from app.accounts.service import revoke_api_token
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import problem_response
from app.core.exceptions import Unauthorized
from app.core.pagination import PageQuery
from app.core.types import Id

router = APIRouter(prefix="/api/v1")

#: The people list's filter: emails are stored lower-cased, so it is an index range.
EmailPrefixQuery = Annotated[
    str, Query(max_length=254, description="Only people whose email starts with this")
]


@router.post(
    "/auth/token",
    response_model=TokenOut,
    tags=["auth"],
    responses={401: {"description": "Bad credentials"}, 429: {"description": "Throttled"}},
)
def create_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut | JSONResponse:
    """OAuth2 password grant: email as ``username``.

    Repeated failures for one account or from one client answer 429 with
    ``Retry-After`` for a while.
    """
    ttl = timedelta(hours=settings.token_ttl_hours)
    attempt = login_attempt(request, settings, email=form.username, password=form.password)
    issued = login.log_in_for_token(session=session, attempt=attempt, ttl=ttl)
    if issued is None:
        # Returned, not raised: the recorded failure must be committed.
        error = Unauthorized(login.BAD_CREDENTIALS)
        return problem_response(error)
    return TokenOut(access_token=issued.secret, expires_in=int(ttl.total_seconds()))


@router.delete("/auth/token", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
def revoke_token(request: Request, user: CurrentUser, session: SessionDep) -> None:
    """Revoke the token this request was made with."""
    secret = bearer_secret(request)
    if secret is not None:
        revoke_api_token(session=session, secret=secret)


@router.get("/auth/csrf", response_model=CsrfTokenOut, tags=["auth"])
def csrf_token(user: CurrentUser, auth: AuthDep, response: Response) -> CsrfTokenOut:
    """The signed-in session's current CSRF token (``null`` for a bearer token).

    A sign-in in another tab starts a new session with a new token, so a page
    loaded before it sends a stale one (403). Its scripts ask here after a
    401/403 (``Stepwise.renewCsrfToken`` in ``static/js/app.js``) instead of
    reloading. Same-origin only (no CORS), so no other site can read it;
    ``no-store`` so no cache keeps it.
    """
    response.headers["Cache-Control"] = "no-store"
    return CsrfTokenOut(csrf_token=auth.csrf_token if auth is not None else None)


@router.get("/me", response_model=UserOut, tags=["auth"])
async def me(user: CurrentUser) -> UserOut:
    # async: it reads only the loaded user, so a thread-pool hop would be pure cost.
    return UserOut.of(user)


@router.get("/users", response_model=list[UserDetailOut], tags=["admin"])
def list_users(
    user: CurrentUser, session: SessionDep, paging: PageQuery, email_prefix: EmailPrefixQuery = ""
) -> list[UserDetailOut]:
    """People by email, one page; the body stays a bare list (as before pagination) and the
    next page is in the ``Link: <...>; rel="next"`` header."""
    page = admin.list_users(
        session=session,
        actor=user,
        after=paging.cursor(USERS_SCOPE),
        limit=paging.limit,
        email_prefix=email_prefix,
    )
    return paging.items(page, UserDetailOut.of_detail)


@router.post(
    "/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED, tags=["admin"]
)
def create_user(
    body: UserCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> UserCreated:
    """Create a person; without ``password`` they are invited and the link is returned."""
    created, issued = admin.add_user(
        session=session,
        actor=user,
        email=body.email,
        roles=frozenset(body.roles),
        display_name=body.display_name,
        password=body.password,
        password_min_length=settings.password_min_length,
        invitation_ttl=timedelta(hours=settings.invitation_ttl_hours),
    )
    invitation = (
        InvitationOut.of(issued, base_url=str(request.base_url)) if issued is not None else None
    )
    return UserCreated(user=UserOut.of(created), invitation=invitation)


@router.get("/users/{user_id}", response_model=UserDetailOut, tags=["admin"])
def get_user(user_id: Id, user: CurrentUser, session: SessionDep) -> UserDetailOut:
    return UserDetailOut.of_detail(
        admin.get_user_detail(session=session, actor=user, user_id=user_id)
    )


@router.patch("/users/{user_id}", response_model=UserDetailOut, tags=["admin"])
def update_user(
    user_id: Id, body: UserUpdate, user: CurrentUser, session: SessionDep
) -> UserDetailOut:
    """Change name, roles or active flag; deactivating ends the person's sessions."""
    detail = admin.change_user(
        session=session,
        actor=user,
        user_id=user_id,
        roles=frozenset(body.roles) if body.roles is not None else None,
        is_active=body.is_active,
        display_name=body.display_name,
    )
    return UserDetailOut.of_detail(detail)


@router.post(
    "/invitations",
    response_model=InvitationOut,
    status_code=status.HTTP_201_CREATED,
    tags=["admin"],
)
def create_invitation(
    body: InvitationCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationOut:
    """Invite a person: a single-use link, valid ``invitation_ttl_hours``, shown once."""
    issued = admin.invite(
        session=session,
        actor=user,
        email=body.email,
        roles=frozenset(body.roles),
        display_name=body.display_name,
        ttl=timedelta(hours=settings.invitation_ttl_hours),
    )
    return InvitationOut.of(issued, base_url=str(request.base_url))


@router.post("/invitations/{secret}/accept", response_model=UserOut, tags=["auth"])
def accept_invitation(
    secret: str, body: InvitationAccept, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """Public (the link is the credential): set the password; the link is then used up."""
    user = invitations.accept_invitation(
        session=session,
        secret=secret,
        password=body.password,
        display_name=body.display_name,
        password_min_length=settings.password_min_length,
    )
    return UserOut.of(user)


@router.post(
    "/coach-assignments",
    response_model=AssignmentOut,
    status_code=status.HTTP_201_CREATED,
    tags=["admin"],
)
def assign_coach(body: AssignmentIn, user: CurrentUser, session: SessionDep) -> AssignmentOut:
    """Assign a coach to a participant (idempotent)."""
    assignment = admin.assign(
        session=session, actor=user, coach_id=body.coach_id, participant_id=body.participant_id
    )
    return AssignmentOut.model_validate(assignment, from_attributes=True)


@router.delete("/coach-assignments", status_code=status.HTTP_204_NO_CONTENT, tags=["admin"])
def unassign_coach(
    coach_id: Id, participant_id: Id, user: CurrentUser, session: SessionDep
) -> None:
    """End an assignment: ``?coach_id=…&participant_id=…``."""
    admin.unassign(session=session, actor=user, coach_id=coach_id, participant_id=participant_id)
