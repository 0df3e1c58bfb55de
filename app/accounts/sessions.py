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

from sqlalchemy import bindparam, delete
from sqlmodel import Session, select

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
    *, session: Session, user: User, ttl: timedelta, previous_secret: str | None = None
) -> StartedSession:
    """Sign ``user`` in on a browser, rotating the session id.

    ``previous_secret`` is the cookie the browser sent, if any: its row (whoever
    it belonged to) is deleted. The user's own expired rows are swept on the way.
    """
    assert user.id is not None
    if previous_secret:
        end_session(session=session, secret=previous_secret)
    session.execute(
        delete(WebSession).where(
            WebSession.user_id == user.id,  # type: ignore[arg-type]
            WebSession.expires_at <= utcnow(),  # type: ignore[arg-type]
        )
    )
    secret = new_secret()
    row = WebSession(
        session_hash=hash_secret(secret),
        user_id=user.id,
        csrf_token=new_secret(),
        expires_at=utcnow() + ttl,
    )
    session.add(row)
    session.flush()
    return StartedSession(secret=secret, row=row, user=user)


#: A cookie's session and its user in one query, built once (it runs on every
#: page view; see ``_TOKEN_OWNER`` in :mod:`app.accounts.service`).
_SESSION_AND_USER = (
    select(WebSession, User)
    .join(User, User.id == WebSession.user_id)  # type: ignore[arg-type]
    .where(WebSession.session_hash == bindparam("session_hash"))
)


def find_session(*, session: Session, secret: str) -> tuple[WebSession, User] | None:
    """The unexpired session for a cookie value and its active user, or ``None``."""
    found = session.exec(_SESSION_AND_USER, params={"session_hash": hash_secret(secret)}).first()
    if found is None:
        return None
    row, user = found
    if row.expires_at <= utcnow() or not user.is_active:
        return None
    return row, user


def end_session(*, session: Session, secret: str) -> bool:
    """Log out: delete the row, so the cookie is worthless even if it was copied."""
    result = session.execute(
        delete(WebSession).where(WebSession.session_hash == hash_secret(secret))  # type: ignore[arg-type]
    )
    session.flush()
    return bool(getattr(result, "rowcount", 0))


def end_all_sessions(*, session: Session, user_id: int) -> None:
    """Sign a user out everywhere (deactivation, password change)."""
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))  # type: ignore[arg-type]
    session.flush()
