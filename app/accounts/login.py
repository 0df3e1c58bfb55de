"""Signing in with a password: the one path shared by the login page and the token API.

Order matters: the throttle is checked *before* the password, so a refused
attempt tests nothing; a failure is recorded (the caller must let the request
commit it — return the error response, do not raise); a success forgives the
account's failures. Unknown email and wrong password get the same ``None``
after the same Argon2 work, so neither the answer nor its timing tells which
accounts exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app.accounts import invitations, service, sessions, signin_repository, throttle
from app.accounts.models import ApiToken, User
from app.accounts.sessions import StartedSession
from app.accounts.throttle import ThrottleLimits
from app.core.exceptions import Forbidden

#: The one message for every kind of bad credentials.
BAD_CREDENTIALS = "Incorrect email or password."
#: Said only after the right password, so it tells nothing to someone guessing.
SSO_ONLY = "This account signs in with single sign-on: use the single sign-on button."


@dataclass(frozen=True)
class Attempt:
    """One try at signing in: what was typed, from where, under which limits."""

    email: str
    password: str
    client: str
    limits: ThrottleLimits
    #: ``STEPWISE_OIDC_PASSWORD_LOGIN``: off, people linked to SSO have no password login.
    sso_users_use_password: bool = True
    #: The browser's ``User-Agent``, kept with a web session (the sessions page).
    user_agent: str | None = None


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    token: ApiToken
    user: User


def check_password(*, session: Session, attempt: Attempt) -> User | None:
    """The user for these credentials, ``None`` (failure recorded), or 429 when throttled.

    403 for the right password of a person linked to SSO when password login
    is off for them (``STEPWISE_OIDC_PASSWORD_LOGIN=false``).

    The throttle's key locks, taken by the check, are held until the request's
    transaction ends: concurrent attempts on one account or from one client
    are checked, verified and recorded one at a time.
    """
    account_key = service.normalize_email(attempt.email)[:254]
    client_key, limits = attempt.client, attempt.limits
    throttle.ensure_login_allowed(
        session=session, account_key=account_key, client_key=client_key, limits=limits
    )
    user = service.authenticate(session=session, email=attempt.email, password=attempt.password)
    if user is None:
        throttle.record_login_failure(
            session=session, account_key=account_key, client_key=client_key, limits=limits
        )
        return None
    throttle.clear_login_failures(session=session, account_key=account_key)
    linked = not attempt.sso_users_use_password and user.id is not None
    if linked and signin_repository.has_sso_identity(session=session, user_id=user.id or 0):
        raise Forbidden(SSO_ONLY)
    return user


def log_in_for_token(*, session: Session, attempt: Attempt, ttl: timedelta) -> IssuedToken | None:
    """OAuth2 password grant: a new bearer token, or ``None`` for bad credentials."""
    user = check_password(session=session, attempt=attempt)
    if user is None:
        return None
    secret, token = service.issue_api_token(session=session, user=user, ttl=ttl)
    return IssuedToken(secret=secret, token=token, user=user)


def log_in_browser(
    *, session: Session, attempt: Attempt, ttl: timedelta, previous_secret: str | None
) -> StartedSession | None:
    """The login form: a new (rotated) web session, or ``None`` for bad credentials."""
    user = check_password(session=session, attempt=attempt)
    if user is None:
        return None
    return sessions.start_session(
        session=session,
        user=user,
        ttl=ttl,
        previous_secret=previous_secret,
        user_agent=attempt.user_agent,
    )


def log_in_with_invitation(
    *,
    session: Session,
    secret: str,
    password: str,
    display_name: str | None,
    password_min_length: int,
    ttl: timedelta,
    previous_secret: str | None,
) -> StartedSession:
    """Accept an invitation and sign the new person in on this browser."""
    user = invitations.accept_invitation(
        session=session,
        secret=secret,
        password=password,
        display_name=display_name,
        password_min_length=password_min_length,
    )
    return sessions.start_session(
        session=session, user=user, ttl=ttl, previous_secret=previous_secret
    )


def log_out_browser(*, session: Session, secret: str) -> None:
    sessions.end_session(session=session, secret=secret)
