"""Forgot-password pages: ask for a link, then choose a new password.

Both forms are shown before sign-in, so they carry the pre-session CSRF token
like the login form. A throttled or invalid request re-renders the form with
a returned (not raised) response; a valid one always shows the same "sent"
answer.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import password_reset
from app.accounts.auth import client_address
from app.accounts.forms import CsrfField, EmailField, NewPasswordFields
from app.accounts.pages import (
    LinkRequest,
    LinkRequestDep,
    check_presession_token,
    link_form,
    presession_page,
    submit_link_password,
)
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Forbidden, InvalidInput, StepwiseError, TooManyRequests

router = APIRouter(tags=["pages"], include_in_schema=False)


def reset_limits(settings: Settings) -> password_reset.ResetLimits:
    return password_reset.ResetLimits(
        per_account=settings.password_reset_max_per_account,
        per_client=settings.password_reset_max_per_client,
        ttl=timedelta(minutes=settings.password_reset_ttl_minutes),
    )


def _forgot_form(
    request: Request,
    settings: Settings,
    *,
    email: str = "",
    sent: str | None = None,
    failure: StepwiseError | None = None,
) -> HTMLResponse:
    """The ask-for-a-link form: empty, again after a refusal (``failure``), or ``sent``."""
    return presession_page(
        request,
        settings,
        "accounts/forgot_password.html",
        failure=failure,
        email=email,
        error=None,
        sent=sent,
    )


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_password_page(request: Request, settings: SettingsDep) -> Response:
    return _forgot_form(request, settings)


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot_password_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: EmailField = "",
    csrf_token: CsrfField = "",
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
        return _forgot_form(request, settings, email=email, failure=exc)
    return _forgot_form(request, settings, sent=password_reset.REQUESTED)


@router.get("/reset-password/{secret}", response_class=HTMLResponse)
def reset_password_page(link: LinkRequestDep) -> Response:
    """Public: the link is the credential. 404 when unknown, used or expired."""
    return _reset_form(link)


@router.post("/reset-password/{secret}", response_class=HTMLResponse)
def reset_password_submit(link: LinkRequestDep, form: NewPasswordFields) -> Response:
    """Set the new password, use the link up, sign out elsewhere and in here."""
    return submit_link_password(
        link,
        form=form,
        use_link=partial(
            password_reset.reset_password,
            session=link.session,
            secret=link.secret,
            password=form.password,
            password_min_length=link.settings.password_min_length,
            ttl=timedelta(hours=link.settings.session_ttl_hours),
        ),
        show_form=lambda failure: _reset_form(link, failure=failure),
    )


def _reset_form(link: LinkRequest, *, failure: StepwiseError | None = None) -> HTMLResponse:
    """The new-password form, first shown or again after a refusal.

    Looks the link up each time, so a link used up meanwhile answers 404.
    """
    _, user = password_reset.find_open_reset(session=link.session, secret=link.secret)
    return link_form(link, "accounts/reset_password.html", failure=failure, email=user.email)
