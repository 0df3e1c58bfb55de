"""Server-side web sessions: the database half of the session cookie.

The cookie holds a random secret; the ``web_sessions`` row holds its SHA-256,
the user, an absolute expiry and the CSRF synchronizer token. Because the row
is the session, any worker can check it, logout really ends it (the row is
deleted), and deactivating a user ends all of their sessions at once.

Every login creates a new row and deletes the one the browser came with, so a
session id planted before login (session fixation) never becomes a signed-in
session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app.accounts import signin_repository
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import User, WebSession
from app.core.timeutils import utcnow


@dataclass(frozen=True)
class StartedSession:
    """A new session: ``secret`` goes into the cookie once and is never stored."""

    secret: str
    row: WebSession
    user: User


def start_session(
    *,
    session: Session,
    user: User,
    ttl: timedelta,
    previous_secret: str | None = None,
    user_agent: str | None = None,
) -> StartedSession:
    """Sign ``user`` in on a browser, rotating the session id.

    ``previous_secret`` is the cookie the browser sent, if any: its row (whoever
    it belonged to) is deleted. The user's own expired rows are swept on the way.
    ``user_agent`` (the browser's header) is kept for the sessions page.
    """
    assert user.id is not None
    if previous_secret:
        end_session(session=session, secret=previous_secret)
    signin_repository.delete_sessions_of(session=session, user_id=user.id, expired_before=utcnow())
    secret = new_secret()
    row = WebSession(
        session_hash=hash_secret(secret),
        user_id=user.id,
        csrf_token=new_secret(),
        expires_at=utcnow() + ttl,
        user_agent=user_agent[:300] if user_agent else None,
    )
    session.add(row)
    session.flush()
    return StartedSession(secret=secret, row=row, user=user)


def find_session(*, session: Session, secret: str) -> tuple[WebSession, User] | None:
    """The unexpired session for a cookie value and its active user, or ``None``."""
    found = signin_repository.session_and_user(session=session, session_hash=hash_secret(secret))
    if found is None:
        return None
    row, user = found
    if row.expires_at <= utcnow() or not user.is_active:
        return None
    return row, user


def end_session(*, session: Session, secret: str) -> bool:
    """Log out: delete the row, so the cookie is worthless even if it was copied."""
    ended = signin_repository.delete_session(session=session, session_hash=hash_secret(secret))
    session.flush()
    return ended
