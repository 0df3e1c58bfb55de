"""FastAPI dependencies as ``Annotated`` aliases, in one module.

``SessionDep`` is the single commit point of a request: it commits when the
route returns and rolls back when it raises. It is function-scoped, so the
commit happens *before* the response is sent: a failed commit is an error
response, never a success the client believes while the data is lost.

``CurrentUser`` (API, 401), ``PageUser`` (pages, 303 to the login page) and
``OptionalUser`` all accept a bearer token *or* the session cookie, and all
enforce CSRF on cookie-authenticated POST/PUT/PATCH/DELETE: use one of them
on every non-public route and both authentication and CSRF are handled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

import anyio
from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from app.accounts import csrf
from app.accounts.auth import Authentication, authenticate_request
from app.accounts.models import User
from app.core.config import Settings, get_settings
from app.core.db import end_session, open_session
from app.core.exceptions import Unauthorized


async def get_session() -> AsyncIterator[Session]:
    """The request's unit of work (see the module docstring).

    Opening a ``Session`` does no I/O (it connects on its first query), so it
    is opened on the event loop, and only the end -- commit or roll back, then
    close -- pays a thread-pool hop, and only if a transaction was begun. A
    sync generator would pay two hops on every request (docs/benchmarks.md).
    The end is shielded: a client that disconnects mid-request still gets
    its transaction finished and its connection returned to the pool.
    """
    session = open_session()
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        with anyio.CancelScope(shield=True):
            # add() and every query begin the session's transaction, so this
            # also catches work that was added but never flushed (tests/test_deps.py).
            if session.in_transaction():
                await run_in_threadpool(end_session, session, succeeded=succeeded)
            else:
                session.close()


async def current_settings() -> Settings:
    # Pure dependencies are ``async def``: a plain ``def`` costs a thread-pool
    # round trip per request, which is measurable on the hot scoring path
    # (see docs/benchmarks.md).
    return get_settings()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(current_settings)]


#: Declares the bearer scheme in OpenAPI (the docs' "Authorize" button); the
#: header itself is read by :func:`app.accounts.auth.authenticate_request`.
_bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_submitted_csrf(request: Request) -> str | None:
    """The CSRF token the request carries (header or form field); async to read the form."""
    return await csrf.submitted_token(request)


def get_authentication(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    submitted_csrf: Annotated[str | None, Depends(get_submitted_csrf)],
    _bearer: Annotated[str | None, Depends(_bearer_scheme)],
) -> Authentication | None:
    """Bearer token or session cookie; 403 for a cookie-authenticated unsafe request
    without its CSRF token. Resolved once per request, whichever alias asks."""
    return authenticate_request(
        request=request, session=session, settings=settings, submitted_csrf=submitted_csrf
    )


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


async def get_optional_user(auth: AuthDep) -> User | None:
    """Public routes that behave differently for a signed-in caller."""
    return auth.user if auth is not None else None


#: Bearer token or session cookie (with CSRF on unsafe methods); 401 when anonymous.
CurrentUser = Annotated[User, Depends(get_current_user)]
#: Same, for HTML pages: an anonymous browser is redirected to ``/login?next=…``.
PageUser = Annotated[User, Depends(get_page_user)]
#: Same checks, but ``None`` when anonymous.
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
