"""Who is calling: resolving the request's credentials to a user.

Two ways in, both checked against the database so any worker or machine
agrees:

* ``Authorization: Bearer <token>`` — the JSON API (tokens from
  ``POST /api/v1/auth/token``);
* the session cookie — web pages (set by the login form,
  :mod:`app.accounts.sessions`).

A bearer header wins when both are present, and a bad bearer token is never
silently replaced by the cookie. A cookie-authenticated unsafe request must
carry the session's CSRF token (:mod:`app.accounts.csrf`); that check lives
here so no route can forget it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from sqlmodel import Session

from app.accounts import cookies, csrf, service, sessions, signins
from app.accounts.login import Attempt
from app.accounts.models import User, WebSession
from app.accounts.throttle import ThrottleLimits
from app.core.config import Settings, get_settings


@dataclass(frozen=True)
class Authentication:
    """A signed-in caller and how they proved it."""

    user: User
    method: Literal["bearer", "session"]
    web_session: WebSession | None = None

    @property
    def csrf_token(self) -> str | None:
        """The token pages embed (``None`` for bearer callers, who need none)."""
        return self.web_session.csrf_token if self.web_session is not None else None


def client_address(request: Request) -> str:
    """The address the login throttle counts (behind a trusted proxy: the forwarded one)."""
    return request.client.host if request.client else "unknown"


def login_attempt(request: Request, settings: Settings, *, email: str, password: str) -> Attempt:
    """A sign-in from this request, with the address and limits the throttle counts by.

    The login page and the token endpoint both build their attempt here, so
    they share one counter.
    """
    return Attempt(
        email=email,
        password=password,
        client=client_address(request),
        limits=ThrottleLimits.of(settings),
        sso_users_use_password=settings.oidc_password_login or not settings.oidc_enabled,
        user_agent=request.headers.get("user-agent"),
    )


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate_request(
    *,
    request: Request,
    session: Session,
    settings: Settings | None = None,
    submitted_csrf: str | None = None,
) -> Authentication | None:
    """The caller, or ``None`` when anonymous (or the credentials are invalid/expired).

    Raises 403 for a cookie-authenticated unsafe request without the right
    CSRF token. The result is also left on ``request.state`` (``auth``,
    ``user``, ``csrf_token``) for templates.
    """
    settings = settings or get_settings()
    auth: Authentication | None = None
    secret = bearer_secret(request)
    if secret is not None:
        user = service.user_for_api_token(session=session, secret=secret)
        auth = Authentication(user=user, method="bearer") if user is not None else None
    elif (cookie := cookies.session_cookie(request, settings=settings)) is not None:
        found = sessions.find_session(session=session, secret=cookie)
        if found is not None:
            row, user = found
            csrf.ensure_session_token(
                method=request.method, expected=row.csrf_token, submitted=submitted_csrf
            )
            signins.note_use(row=row, method=request.method)
            auth = Authentication(user=user, method="session", web_session=row)
    request.state.auth = auth
    request.state.user = auth.user if auth is not None else None
    if auth is not None and auth.csrf_token is not None:
        request.state.csrf_token = auth.csrf_token
    return auth
