"""Login throttling: too many failed passwords, for one account or from one client.

Failures are rows in ``login_failures`` (never process memory), so every
worker and machine counts the same attempts. The window slides: an account or
client with ``max_failures`` failures in the last ``window_seconds`` is refused
with 429 and ``Retry-After`` = the seconds until enough of those failures have
aged out. Nothing is locked for good: waiting always lets the real user in,
and attempts refused while throttled are not recorded, so hammering a locked
account does not extend the lock.

**Atomic.** Checking, verifying the password and recording the failure are
one critical section per key: :func:`ensure_login_allowed` first locks the
account's and the client's row in ``login_throttle_keys`` (an upsert, held
until the request's transaction ends), so concurrent attempts on one key run
one after the other and at most ``max_failures`` passwords are ever verified
per window, however many arrive at once, on any number of workers.

Unknown emails are counted like real ones, so the limit does not reveal which
accounts exist.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.accounts import signin_repository
from app.accounts.models import LoginFailure
from app.core.config import Settings
from app.core.exceptions import TooManyRequests
from app.core.timeutils import utcnow

#: The key scopes, locked in this order by every attempt (no deadlocks).
ACCOUNT, CLIENT = "account", "client"


@dataclass(frozen=True)
class ThrottleLimits:
    max_failures: int
    window_seconds: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)

    @classmethod
    def of(cls, settings: Settings) -> ThrottleLimits:
        return cls(
            max_failures=settings.login_max_failures, window_seconds=settings.login_window_seconds
        )


def _retry_after(failures: Sequence[datetime], *, limits: ThrottleLimits, now: datetime) -> int:
    """Seconds until fewer than ``max_failures`` of these (in-window, sorted) remain."""
    if len(failures) < limits.max_failures:
        return 0
    # The failure that must leave the window for the count to drop below the limit.
    pivot = failures[len(failures) - limits.max_failures]
    return max(1, math.ceil((pivot + limits.window - now).total_seconds()))


def seconds_until_allowed(
    *, session: Session, account_key: str, client_key: str, limits: ThrottleLimits
) -> int:
    """0 when a login attempt may proceed, else the Retry-After in seconds.

    Takes the two keys' locks first; they are held until the transaction
    ends, so the answer stays true while the caller verifies and records.
    """
    now = utcnow()
    signin_repository.lock_throttle_keys(
        session=session, keys=[(ACCOUNT, account_key), (CLIENT, client_key[:128])], at=now
    )
    cutoff = now - limits.window
    waits = [
        _retry_after(
            signin_repository.failure_times(session=session, column=column, key=key, since=cutoff),
            limits=limits,
            now=now,
        )
        for column, key in (
            (LoginFailure.account_key, account_key),
            (LoginFailure.client_key, client_key[:128]),
        )
    ]
    return max(waits)


def ensure_login_allowed(
    *, session: Session, account_key: str, client_key: str, limits: ThrottleLimits
) -> None:
    wait = seconds_until_allowed(
        session=session, account_key=account_key, client_key=client_key, limits=limits
    )
    if wait:
        minutes = math.ceil(wait / 60)
        raise TooManyRequests(
            f"Too many failed sign-in attempts. Try again in {minutes} minute"
            f"{'' if minutes == 1 else 's'}.",
            retry_after=wait,
        )


def record_login_failure(
    *, session: Session, account_key: str, client_key: str, limits: ThrottleLimits
) -> None:
    """Count a failure, and prune rows that have left every window."""
    now = utcnow()
    signin_repository.prune_throttle(session=session, before=now - limits.window)
    session.add(LoginFailure(account_key=account_key, client_key=client_key[:128], failed_at=now))
    session.flush()


def clear_login_failures(*, session: Session, account_key: str) -> None:
    """A successful login forgives the account's failures (the client's stay counted)."""
    signin_repository.forgive_account(session=session, account_key=account_key)
    session.flush()
