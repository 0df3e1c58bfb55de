"""A person's own ways in: their web sessions and API tokens, listed and ended.

Ending one is a database write (the session row deleted, the token's
``revoked_at`` set), so it takes effect at once on every worker: the next
request with that cookie or token is anonymous. Only one's own are listed or
ended; another person's id answers 404, like an id that does not exist.

``last_seen_at`` is the sign-in, then the last unsafe request (POST, PUT,
PATCH, DELETE), written at most every :data:`SEEN_EVERY`: page views are
read-only requests and write nothing, so "last seen" is "last change made",
to within five minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.accounts import signin_repository
from app.accounts.credentials import hash_secret
from app.accounts.models import ApiToken, User, WebSession
from app.core import i18n
from app.core.exceptions import NotFound
from app.core.i18n import N_
from app.core.timeutils import utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SEEN_EVERY = timedelta(minutes=5)

#: (pattern, name) in order: the first match names the browser / the system.
_BROWSERS = (
    (re.compile(r"Edg/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/"), "Firefox"),
    (re.compile(r"Chrome/|Chromium/|CriOS/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
    (re.compile(r"curl/"), "curl"),
    (re.compile(r"python-httpx|python-requests|testclient", re.I), N_("a script")),
)
_SYSTEMS = (
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iOS"), "iOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
)


@dataclass(frozen=True)
class SessionEntry:
    """One signed-in browser as its owner sees it (the page and the API)."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    #: "Firefox on Linux": a summary of the browser, never the raw header.
    device: str
    #: The session the request came with.
    current: bool


@dataclass(frozen=True)
class TokenEntry:
    """One live API token (never its secret); ``current``: the request's own."""

    id: int
    created_at: datetime
    expires_at: datetime
    current: bool


def describe_device(user_agent: str | None, locale: str = i18n.SOURCE_LOCALE) -> str:
    """ "Firefox on Linux"-style summary of a ``User-Agent`` (never the raw header), in
    ``locale`` (product names stay as they are)."""
    if not user_agent:
        return i18n.gettext(locale, N_("Unknown browser"))
    browser = next((name for pattern, name in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    if browser is not None:
        browser = i18n.gettext(locale, browser)
    if browser and system:
        return i18n.gettext(locale, N_("%(browser)s on %(system)s")) % {
            "browser": browser,
            "system": system,
        }
    return browser or system or i18n.gettext(locale, N_("Other browser"))


def note_use(*, row: WebSession, method: str) -> None:
    """Move ``last_seen_at`` on an unsafe request, at most every :data:`SEEN_EVERY`."""
    if method.upper() in SAFE_METHODS:
        return
    now = utcnow()
    if row.last_seen_at is None or row.last_seen_at <= now - SEEN_EVERY:
        row.last_seen_at = now


def list_sessions(
    *,
    session: Session,
    user: User,
    current_session_id: int | None,
    locale: str = i18n.SOURCE_LOCALE,
) -> list[SessionEntry]:
    """The user's live sessions, newest first; each browser described in ``locale``."""
    assert user.id is not None
    rows = signin_repository.live_sessions_of(session=session, user_id=user.id, now=utcnow())
    return [
        SessionEntry(
            id=row.id or 0,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at or row.created_at,
            expires_at=row.expires_at,
            device=describe_device(row.user_agent, locale),
            current=row.id == current_session_id,
        )
        for row in rows
    ]


def list_tokens(*, session: Session, user: User, bearer_secret: str | None) -> list[TokenEntry]:
    assert user.id is not None
    current_hash = hash_secret(bearer_secret) if bearer_secret else None
    tokens: list[ApiToken] = signin_repository.live_tokens_of(
        session=session, user_id=user.id, now=utcnow()
    )
    return [
        TokenEntry(
            id=token.id or 0,
            created_at=token.created_at,
            expires_at=token.expires_at,
            current=token.token_hash == current_hash,
        )
        for token in tokens
    ]


def end_session(*, session: Session, user: User, session_id: int) -> None:
    """End one of the person's own sessions (their current one included); 404 otherwise."""
    assert user.id is not None
    if not signin_repository.delete_session_of(
        session=session, user_id=user.id, session_id=session_id
    ):
        raise NotFound("Session not found")
    session.flush()


def end_other_sessions(*, session: Session, user: User, current_session_id: int | None) -> int:
    """End every session of the person but the current one; how many were ended."""
    assert user.id is not None
    ended = signin_repository.delete_other_sessions(
        session=session, user_id=user.id, keep_id=current_session_id
    )
    session.flush()
    return ended


def revoke_token(*, session: Session, user: User, token_id: int) -> None:
    """Revoke one of the person's own live tokens; 404 otherwise."""
    assert user.id is not None
    if not signin_repository.revoke_token_of(
        session=session, user_id=user.id, token_id=token_id, at=utcnow()
    ):
        raise NotFound("Token not found")
    session.flush()


def sso_links_of(*, session: Session, user: User) -> list[dict[str, object]]:
    """The person's single sign-on links (provider, first and last use) for their export."""
    assert user.id is not None
    return [
        {"issuer": i.issuer, "created_at": i.created_at, "last_login_at": i.last_login_at}
        for i in signin_repository.sso_identities_of(session=session, user_id=user.id)
    ]
