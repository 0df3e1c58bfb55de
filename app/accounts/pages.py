"""HTML pages: home redirect, login/logout, accepting an invitation.

The login and invitation forms are shown before anyone is signed in, so they
carry a pre-session CSRF token (signed double-submit cookie, see
:mod:`app.accounts.csrf`). Failed logins re-render the form with a *returned*
response (status 401/429), never a raised one, so the recorded failure is
committed by ``SessionDep``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.accounts import cookies, csrf, invitations, login, sso
from app.accounts.auth import login_attempt
from app.accounts.deps import AuthDep, OptionalUser, PageUser
from app.accounts.forms import (
    CsrfField,
    DisplayNameField,
    EmailField,
    NewPasswordFields,
    NewPasswordForm,
    NextField,
    PasswordField,
)
from app.accounts.models import Role, User
from app.accounts.sessions import StartedSession
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Forbidden, InvalidInput, StepwiseError, TooManyRequests
from app.core.pages import render_page, see_other

router = APIRouter(tags=["pages"], include_in_schema=False)

#: Where each role lands after signing in, in order of preference.
HOME_BY_ROLE = (
    (Role.participant, "/assessments"),
    (Role.coach, "/coaching"),
    (Role.admin, "/admin"),
)


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other hosts, schemes,
    ``//host``, backslashes, control characters) becomes ``/``: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def sso_button(settings: Settings) -> str | None:
    """The single sign-on button's provider name on the sign-in page, when configured."""
    return settings.oidc_display_name if settings.oidc_enabled else None


def home_path(user: User) -> str:
    for role, path in HOME_BY_ROLE:
        if user.has_role(role):
            return path
    return "/login"


def with_presession_token(request: Request, settings: Settings) -> str:
    """Reuse the browser's valid pre-session token, or mint one; pages then render it."""
    token = cookies.presession_cookie(request, settings=settings)
    if not csrf.presession_token_valid(
        token, key=settings.secret_key, max_age_seconds=settings.session_ttl_hours * 3600
    ):
        token = csrf.new_presession_token(key=settings.secret_key)
    assert token is not None
    request.state.csrf_token = token
    return token


def check_presession_token(request: Request, settings: Settings, submitted: str) -> None:
    csrf.ensure_presession_token(
        cookie=cookies.presession_cookie(request, settings=settings),
        submitted=submitted or None,
        key=settings.secret_key,
        max_age_seconds=settings.session_ttl_hours * 3600,
    )


def presession_page(
    request: Request,
    settings: Settings,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    failure: StepwiseError | None = None,
    **context: Any,
) -> HTMLResponse:
    """A form shown before sign-in, with its pre-session CSRF token (cookie and field).

    ``failure`` re-renders the form for a refused submission: its status,
    headers (``Retry-After``) and detail (as ``error``) come from the exception.
    """
    if failure is not None:
        status_code, headers = failure.status_code, failure.headers
        context["error"] = failure.detail
    token = with_presession_token(request, settings)
    response = render_page(request, template, status_code, **context)
    response.headers.update(headers or {})
    cookies.set_presession_cookie(response, token, settings=settings)
    return response


def signed_in(target: str, started: StartedSession, settings: Settings) -> RedirectResponse:
    """Go to ``target`` with the new session's cookie (login, invitation, password reset)."""
    response = see_other(target)
    cookies.set_session_cookie(response, started.secret, settings=settings)
    return response


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """A request to a one-time link's page (invitation, password reset): the secret in the
    path, and what every such page needs to look the link up and answer."""

    secret: str
    request: Request
    session: Session
    settings: Settings


def _link_request(
    secret: str, request: Request, session: SessionDep, settings: SettingsDep
) -> LinkRequest:
    return LinkRequest(secret, request, session, settings)


#: The parameters of every one-time link route, declared once.
LinkRequestDep = Annotated[LinkRequest, Depends(_link_request)]


def link_form(
    link: LinkRequest, template: str, *, failure: StepwiseError | None, **context: Any
) -> HTMLResponse:
    """A one-time link's password form: posts back to the link, states the minimum length."""
    return presession_page(
        link.request,
        link.settings,
        template,
        failure=failure,
        secret=link.secret,
        min_length=link.settings.password_min_length,
        error=None,
        **context,
    )


def submit_link_password(
    link: LinkRequest,
    *,
    form: NewPasswordForm,
    use_link: Callable[[], StartedSession],
    show_form: Callable[[StepwiseError], Response],
) -> Response:
    """The POST of a one-time link's password form (invitation, password reset).

    Pre-session CSRF, the typed-twice check, then ``use_link`` (which checks the
    password before writing anything); a refusal shows the form again with a
    returned response, and the link stays usable. Success signs in and goes home.
    """
    try:
        check_presession_token(link.request, link.settings, form.csrf_token)
        if form.password != form.confirmation:
            raise InvalidInput("The two passwords do not match.")
        started = use_link()
    except (Forbidden, InvalidInput) as exc:
        return show_form(exc)
    return signed_in("/", started, link.settings)


@router.get("/")
def home(user: PageUser) -> RedirectResponse:
    """Each role's start page (participants first for people with several roles)."""
    return see_other(home_path(user))


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, user: OptionalUser, settings: SettingsDep, next: str = "/"
) -> Response:
    if user is not None:
        return see_other(safe_next(next))
    return presession_page(
        request,
        settings,
        "accounts/login.html",
        next=safe_next(next),
        email="",
        error=None,
        sso=sso_button(settings),
    )


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: EmailField = "",
    password: PasswordField = "",
    csrf_token: CsrfField = "",
    next: NextField = "/",
) -> Response:
    """Check the password (throttled), rotate the session, go to ``next`` (local only)."""
    target = safe_next(next)
    form: dict[str, Any] = {"next": target, "email": email, "sso": sso_button(settings)}
    try:
        check_presession_token(request, settings, csrf_token)
        started = login.log_in_browser(
            session=session,
            attempt=login_attempt(request, settings, email=email, password=password),
            ttl=timedelta(hours=settings.session_ttl_hours),
            previous_secret=cookies.session_cookie(request, settings=settings),
        )
    except (Forbidden, TooManyRequests) as exc:
        return presession_page(request, settings, "accounts/login.html", failure=exc, **form)
    if started is None:
        return presession_page(
            request,
            settings,
            "accounts/login.html",
            status_code=status.HTTP_401_UNAUTHORIZED,
            error=login.BAD_CREDENTIALS,
            **form,
        )
    return signed_in(target, started, settings)


@router.post("/logout")
def logout(
    request: Request, auth: AuthDep, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    """End the cookie's session (CSRF-checked by ``AuthDep``) and forget the cookie.

    A person linked to SSO then goes on to the provider's ``end_session_endpoint``
    (when it has one), which sends them back to the sign-in page.
    """
    secret = cookies.session_cookie(request, settings=settings)
    provider_logout = None
    if auth is not None and auth.method == "session" and secret is not None:
        login.log_out_browser(session=session, secret=secret)
        provider_logout = sso.logout_url(session=session, settings=settings, user=auth.user)
    response = see_other(provider_logout or "/login")
    cookies.clear_session_cookie(response, settings=settings)
    return response


@router.get("/invitations/{secret}", response_class=HTMLResponse)
def invitation_page(link: LinkRequestDep) -> Response:
    """Public: the link is the credential. 404 when unknown, used or expired."""
    return _invitation_form(link)


@router.post("/invitations/{secret}", response_class=HTMLResponse)
def invitation_submit(
    link: LinkRequestDep, form: NewPasswordFields, display_name: DisplayNameField = ""
) -> Response:
    """Set the password, use the link up, and sign the person in."""
    return submit_link_password(
        link,
        form=form,
        use_link=partial(
            login.log_in_with_invitation,
            session=link.session,
            secret=link.secret,
            password=form.password,
            display_name=display_name,
            password_min_length=link.settings.password_min_length,
            ttl=timedelta(hours=link.settings.session_ttl_hours),
            previous_secret=cookies.session_cookie(link.request, settings=link.settings),
        ),
        show_form=lambda failure: _invitation_form(
            link, display_name=display_name, failure=failure
        ),
    )


def _invitation_form(
    link: LinkRequest,
    *,
    display_name: str | None = None,
    failure: StepwiseError | None = None,
) -> HTMLResponse:
    """The invitation form, first shown (the invited name) or again with what was typed.

    Looks the link up each time, so a link used up meanwhile answers 404.
    """
    _, invited = invitations.find_open_invitation(session=link.session, secret=link.secret)
    return link_form(
        link,
        "accounts/invitation.html",
        failure=failure,
        invited=invited,
        display_name=invited.display_name if display_name is None else display_name,
    )
