"""Forgot password: a single-use, expiring link by email.

Asking for a reset always gets the same answer, whether an account has that
address or not; only a known, active account is mailed. Each link is 256
random bits of which only the SHA-256 is stored; it expires after
``STEPWISE_PASSWORD_RESET_TTL_MINUTES``, a newer link retires the older ones,
and using it is one conditional ``UPDATE … WHERE used_at IS NULL`` (two
racing requests: one wins). Setting the new password signs the person out
everywhere else, then in on this browser.

Requests are throttled per address and per client (rows in
``password_reset_requests``, so every worker counts the same): unknown
addresses are counted like known ones, so a 429 tells nothing about which
accounts exist. The mail is queued in the request's transaction (:mod:`app.mail`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app.accounts import service, sessions, signin_repository
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.links import find_open_link, use_link
from app.accounts.models import User
from app.accounts.password_reset_models import PasswordReset, PasswordResetRequest
from app.accounts.sessions import StartedSession
from app.core.exceptions import TooManyRequests, invalid_field
from app.core.i18n import N_
from app.core.timeutils import utcnow
from app.mail.outbox import queue_mail

#: What every request is told, known address or not.
REQUESTED = (
    "If an account uses that address, we have sent it a link to choose a new password. "
    "Check your inbox (and spam folder)."
)
INVALID_LINK = "This password reset link is invalid, already used or expired."
SUBJECT = N_("Reset your Stepwise password")
WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class ResetLimits:
    per_account: int
    per_client: int
    ttl: timedelta


def reset_path(secret: str) -> str:
    return f"/reset-password/{secret}"


def _seconds_until_allowed(
    *, session: Session, account_key: str, client_key: str, limits: ResetLimits
) -> int:
    now = utcnow()
    waits = [0]
    for column, key, limit in (
        (PasswordResetRequest.account_key, account_key, limits.per_account),
        (PasswordResetRequest.client_key, client_key, limits.per_client),
    ):
        times = signin_repository.reset_request_times(
            session=session, column=column, key=key, since=now - WINDOW
        )
        if len(times) >= limit:
            pivot = times[len(times) - limit]
            waits.append(max(1, math.ceil((pivot + WINDOW - now).total_seconds())))
    return max(waits)


def request_password_reset(
    *, session: Session, email: str, client: str, limits: ResetLimits, base_url: str
) -> None:
    """Record the request and, for a known active account, mail a fresh link (429 if throttled)."""
    normalized = service.normalize_email(email)[:254]
    if not normalized or "@" not in normalized:
        raise invalid_field("email", "Enter your email address.", "Enter your email address")
    account_key = hash_secret(normalized)
    client_key = client[:64]
    wait = _seconds_until_allowed(
        session=session, account_key=account_key, client_key=client_key, limits=limits
    )
    if wait:
        minutes = math.ceil(wait / 60)
        raise TooManyRequests(
            f"Too many reset requests. Try again in {minutes} minute{'' if minutes == 1 else 's'}.",
            retry_after=wait,
        )
    now = utcnow()
    session.add(
        PasswordResetRequest(account_key=account_key, client_key=client_key, requested_at=now)
    )
    user = service.get_user_by_email(session=session, email=normalized)
    if user is None or not user.is_active or user.id is None:
        session.flush()
        return
    signin_repository.retire_open_links(
        session=session, table=PasswordReset, user_id=user.id, at=utcnow()
    )
    secret = new_secret()
    session.add(
        PasswordReset(
            user_id=user.id,
            secret_hash=hash_secret(secret),
            created_at=now,
            expires_at=now + limits.ttl,
        )
    )
    session.flush()
    queue_mail(
        session=session,
        to=user.email,
        kind="password_reset",
        subject=SUBJECT,
        locale=user.locale,
        context={
            "name": user.display_name,
            "link": base_url + reset_path(secret),
            "minutes": int(limits.ttl.total_seconds() // 60),
        },
    )


def find_open_reset(*, session: Session, secret: str) -> tuple[PasswordReset, User]:
    """The unused, unexpired reset for a link and its person; 404 otherwise."""
    return find_open_link(session=session, table=PasswordReset, secret=secret, invalid=INVALID_LINK)


def reset_password(
    *,
    session: Session,
    secret: str,
    password: str,
    password_min_length: int,
    ttl: timedelta,
) -> StartedSession:
    """Use the link up and set the password (:func:`links.use_link`), end every other
    session, sign in here."""
    _, user = use_link(
        session=session,
        table=PasswordReset,
        secret=secret,
        password=password,
        password_min_length=password_min_length,
        invalid=INVALID_LINK,
    )
    assert user.id is not None
    service.end_all_sign_ins(session=session, user_id=user.id)
    return sessions.start_session(session=session, user=user, ttl=ttl)


def prune_reset_requests(*, session: Session) -> int:
    """Forget throttle records older than the window (they no longer count)."""
    return signin_repository.prune_reset_requests(session=session, before=utcnow() - WINDOW)
