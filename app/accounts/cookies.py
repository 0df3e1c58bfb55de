"""The two cookies Stepwise sets, with their security attributes in one place.

Both are ``HttpOnly`` (no script reads them) and ``Path=/``. Over HTTPS
(``settings.https``) they are ``Secure`` and carry the ``__Host-`` prefix,
which browsers only accept from a secure origin, without a ``Domain`` and
for ``/``: a sibling subdomain cannot plant or overwrite them.

* the session cookie: ``SameSite=Lax`` (a link from elsewhere arrives signed
  in; cross-site posts arrive without it), lives as long as the session;
* the pre-session CSRF cookie: ``SameSite=Strict``, only for the login and
  invitation forms.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request, Response

from app.core.config import Settings

SESSION = "stepwise_session"
PRESESSION_CSRF = "stepwise_csrf"
#: The state of a single sign-on in progress: binds the provider's callback to this browser.
SSO_STATE = "stepwise_sso"


def cookie_name(base: str, *, settings: Settings) -> str:
    return f"__Host-{base}" if settings.https else base


def session_cookie(request: Request, *, settings: Settings) -> str | None:
    return request.cookies.get(cookie_name(SESSION, settings=settings)) or None


def presession_cookie(request: Request, *, settings: Settings) -> str | None:
    return request.cookies.get(cookie_name(PRESESSION_CSRF, settings=settings)) or None


def _set(
    response: Response,
    base: str,
    value: str,
    *,
    settings: Settings,
    max_age: int,
    samesite: Literal["lax", "strict"],
) -> None:
    response.set_cookie(
        cookie_name(base, settings=settings),
        value,
        max_age=max_age,
        path="/",
        secure=settings.https,
        httponly=True,
        samesite=samesite,
    )


def set_session_cookie(response: Response, secret: str, *, settings: Settings) -> None:
    _set(
        response,
        SESSION,
        secret,
        settings=settings,
        max_age=settings.session_ttl_hours * 3600,
        samesite="lax",
    )


def _clear(response: Response, base: str, *, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(base, settings=settings),
        path="/",
        secure=settings.https,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, *, settings: Settings) -> None:
    _clear(response, SESSION, settings=settings)


def set_presession_cookie(response: Response, token: str, *, settings: Settings) -> None:
    _set(
        response,
        PRESESSION_CSRF,
        token,
        settings=settings,
        max_age=settings.session_ttl_hours * 3600,
        samesite="strict",
    )


def sso_state_cookie(request: Request, *, settings: Settings) -> str | None:
    return request.cookies.get(cookie_name(SSO_STATE, settings=settings)) or None


def set_sso_state_cookie(response: Response, state: str, *, settings: Settings) -> None:
    """``SameSite=Lax``: the provider's redirect back is a top-level navigation from its site."""
    _set(
        response,
        SSO_STATE,
        state,
        settings=settings,
        max_age=settings.oidc_login_ttl_seconds,
        samesite="lax",
    )


def clear_sso_state_cookie(response: Response, *, settings: Settings) -> None:
    _clear(response, SSO_STATE, settings=settings)
