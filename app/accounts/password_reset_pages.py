"""Forgot-password pages: ask for a link, then choose a new password.

Both forms are shown before sign-in, so they carry the pre-session CSRF token
like the login form. A throttled or invalid request re-renders the form with
a returned (not raised) response; a valid one always shows the same "sent"
answer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import cookies, password_reset
from app.accounts.auth import client_address
from app.accounts.pages import check_presession_token, presession_page
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Forbidden, InvalidInput, TooManyRequests
from app.core.pages import see_other

router = APIRouter(tags=["pages"], include_in_schema=False)


def reset_limits(settings: Settings) -> password_reset.ResetLimits:
    return password_reset.ResetLimits(
        per_account=settings.password_reset_max_per_account,
        per_client=settings.password_reset_max_per_client,
        ttl=timedelta(minutes=settings.password_reset_ttl_minutes),
    )


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_password_page(request: Request, settings: SettingsDep) -> Response:
    return presession_page(
        request, settings, "accounts/forgot_password.html", email="", error=None, sent=None
    )


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot_password_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    csrf_token: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """The same answer for every address; 429 (form again) when throttled."""
    try:
        check_presession_token(request, settings, csrf_token)
        password_reset.request_password_reset(
            session=session,
            email=email,
            client=client_address(request),
            limits=reset_limits(settings),
            base_url=settings.public_url,
        )
    except (Forbidden, InvalidInput, TooManyRequests) as exc:
        return presession_page(
            request,
            settings,
            "accounts/forgot_password.html",
            status_code=exc.status_code,
            headers=exc.headers,
            email=email,
            error=exc.detail,
            sent=None,
        )
    return presession_page(
        request,
        settings,
        "accounts/forgot_password.html",
        email="",
        error=None,
        sent=password_reset.REQUESTED,
    )


@router.get("/reset-password/{secret}", response_class=HTMLResponse)
def reset_password_page(
    secret: str, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """Public: the link is the credential. 404 when unknown, used or expired."""
    _, user = password_reset.find_open_reset(session=session, secret=secret)
    return presession_page(
        request,
        settings,
        "accounts/reset_password.html",
        email=user.email,
        secret=secret,
        min_length=settings.password_min_length,
        error=None,
    )


@router.post("/reset-password/{secret}", response_class=HTMLResponse)
def reset_password_submit(
    secret: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    password: Annotated[str, Form(max_length=1024)] = "",
    password_confirmation: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """Set the new password, use the link up, sign out elsewhere and in here."""
    try:
        check_presession_token(request, settings, csrf_token)
        if password != password_confirmation:
            raise InvalidInput("The two passwords do not match.")
        started = password_reset.reset_password(
            session=session,
            secret=secret,
            password=password,
            password_min_length=settings.password_min_length,
            ttl=timedelta(hours=settings.session_ttl_hours),
        )
    except (Forbidden, InvalidInput) as exc:
        _, user = password_reset.find_open_reset(session=session, secret=secret)
        return presession_page(
            request,
            settings,
            "accounts/reset_password.html",
            status_code=exc.status_code,
            email=user.email,
            secret=secret,
            min_length=settings.password_min_length,
            error=exc.detail,
        )
    response = see_other("/")
    cookies.set_session_cookie(response, started.secret, settings=settings)
    return response
