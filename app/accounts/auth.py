"""Who is calling: resolving the request's credentials to a user.

The JSON API takes ``Authorization: Bearer <token>``. (Web pages add a session
cookie; see :mod:`app.accounts.sessions` once it exists.) Credentials live in
the database, so any worker or machine can check them.
"""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from app.accounts import service
from app.accounts.models import User
from app.core.exceptions import Unauthorized


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def resolve_user(*, request: Request, session: Session) -> User | None:
    secret = bearer_secret(request)
    if secret is not None:
        return service.user_for_api_token(session=session, secret=secret)
    return None


def require_user(*, request: Request, session: Session) -> User:
    user = resolve_user(request=request, session=session)
    if user is None:
        raise Unauthorized("Not authenticated")
    return user
