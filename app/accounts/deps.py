"""Who is signed in, as ``Annotated`` dependency aliases.

``CurrentUser`` (API, 401), ``PageUser`` (pages, 303 to the login page) and
``OptionalUser`` all accept a bearer token *or* the session cookie, and all
enforce CSRF on cookie-authenticated POST/PUT/PATCH/DELETE: use one of them
on every non-public route and both authentication and CSRF are handled.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer

from app.accounts import csrf, policy
from app.accounts.auth import Authentication, authenticate_request
from app.accounts.models import User
from app.core.deps import SessionDep, SettingsDep, reads_locally
from app.core.exceptions import Unauthorized

#: Declares the bearer scheme in OpenAPI (the docs' "Authorize" button); the
#: header itself is read by :func:`app.accounts.auth.authenticate_request`.
_bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_submitted_csrf(request: Request) -> str | None:
    """The CSRF token the request carries (header or form field); async to read the form."""
    return await csrf.submitted_token(request)


async def get_authentication(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    submitted_csrf: Annotated[str | None, Depends(get_submitted_csrf)],
    _bearer: Annotated[str | None, Depends(_bearer_scheme)],
) -> Authentication | None:
    """Bearer token or session cookie; 403 for a cookie-authenticated unsafe request
    without its CSRF token. Resolved once per request, whichever alias asks.

    The look-up is one indexed read: in a read-only SQLite unit of work it
    runs on the event loop (:func:`app.core.deps.reads_locally`), elsewhere
    in the thread pool. Nothing is cached: a revoked token is refused at once.
    """
    lookup = partial(
        authenticate_request,
        request=request,
        session=session,
        settings=settings,
        submitted_csrf=submitted_csrf,
    )
    if reads_locally(session):
        return lookup()
    return await run_in_threadpool(lookup)


AuthDep = Annotated[Authentication | None, Depends(get_authentication)]


async def get_current_user(auth: AuthDep) -> User:
    """JSON API: the caller, or 401."""
    if auth is None:
        raise Unauthorized("Not authenticated")
    return auth.user


async def get_page_user(request: Request, auth: AuthDep) -> User:
    """HTML pages: the caller, or a 303 to the login page that comes back here."""
    if auth is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            status_code=status.HTTP_303_SEE_OTHER,
            detail="Sign in to continue",
            headers={"Location": f"/login?{urlencode({'next': target})}"},
        )
    return auth.user


async def get_admin_page_user(user: Annotated[User, Depends(get_page_user)]) -> User:
    """Admin-tool pages: the admin, 404 for anyone else (as :func:`policy.ensure_admin`).

    A router-wide dependency (``dependencies=[Depends(get_admin_page_user)]``)
    of routers that hold nothing else, so no route can forget the check.
    """
    policy.ensure_admin(user=user)
    return user


def admin_pages_router(prefix: str) -> APIRouter:
    """A router of pages hidden from the API schema whose every route is 404 for non-admins.

    The guard (:func:`get_admin_page_user`) is router-wide, so a route added
    later cannot forget it.
    """
    return APIRouter(
        prefix=prefix,
        tags=["pages"],
        include_in_schema=False,
        dependencies=[Depends(get_admin_page_user)],
    )


async def get_optional_user(auth: AuthDep) -> User | None:
    """Public routes that behave differently for a signed-in caller."""
    return auth.user if auth is not None else None


#: Bearer token or session cookie (with CSRF on unsafe methods); 401 when anonymous.
CurrentUser = Annotated[User, Depends(get_current_user)]
#: Same, for HTML pages: an anonymous browser is redirected to ``/login?next=…``.
PageUser = Annotated[User, Depends(get_page_user)]
#: Same checks, but ``None`` when anonymous.
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
