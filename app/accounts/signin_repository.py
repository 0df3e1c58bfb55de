"""The accounts domain's queries about signing in: API tokens, web sessions,
one-time links (invitations, password resets), the throttles, single sign-on.

Like :mod:`app.accounts.repository` (people and coach assignments) they only
run statements; the rules are in ``sessions``, ``links``, ``throttle``,
``password_reset`` and ``sso``. Statements that run on every request
(``_TOKEN_OWNER``, ``_SESSION_AND_USER``) are built once: constructing and
cache-keying a statement per call cost more than running it
(docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, bindparam, delete, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.accounts.models import (
    ApiToken,
    Invitation,
    LoginFailure,
    LoginThrottleKey,
    User,
    WebSession,
)
from app.accounts.password_reset_models import PasswordReset, PasswordResetRequest
from app.accounts.sso_models import SsoIdentity, SsoLoginAttempt

#: The one-time link tables: same columns (``secret_hash``, ``user_id``, ``expires_at``,
#: ``used_at``), same rules, so the same statements (:mod:`app.accounts.links`).
LinkRow = TypeVar("LinkRow", Invitation, PasswordReset)

# -- API tokens -----------------------------------------------------------------

#: The owner of a token, with the token's two dates as plain columns: one
#: joined query loading one ORM object (it runs on every API request).
_TOKEN_OWNER = (
    select(User, ApiToken.revoked_at, ApiToken.expires_at)
    .join(ApiToken, col(User.id) == col(ApiToken.user_id))
    .where(col(ApiToken.token_hash) == bindparam("token_hash"))
)


def token_owner(
    *, session: Session, token_hash: str
) -> tuple[User, datetime | None, datetime] | None:
    """The token's user, ``revoked_at`` and ``expires_at``, whatever their state."""
    row = session.exec(_TOKEN_OWNER, params={"token_hash": token_hash}).first()
    return (row[0], row[1], row[2]) if row is not None else None


def _revoke(session: Session, *, where: ColumnElement[bool], at: datetime) -> int:
    result = session.execute(
        update(ApiToken).where(where, col(ApiToken.revoked_at).is_(None)).values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0))


def revoke_token(*, session: Session, token_hash: str, at: datetime) -> bool:
    """Revoke one token; ``False`` when unknown or already revoked."""
    return _revoke(session, where=col(ApiToken.token_hash) == token_hash, at=at) == 1


def revoke_tokens_of(*, session: Session, user_id: int, at: datetime) -> int:
    """Revoke every live token of a person (deactivation); how many were live."""
    return _revoke(session, where=col(ApiToken.user_id) == user_id, at=at)


# -- web sessions ---------------------------------------------------------------

#: A cookie's session and its user in one query (it runs on every page view).
_SESSION_AND_USER = (
    select(WebSession, User)
    .join(User, col(User.id) == col(WebSession.user_id))
    .where(col(WebSession.session_hash) == bindparam("session_hash"))
)


def session_and_user(*, session: Session, session_hash: str) -> tuple[WebSession, User] | None:
    found = session.exec(_SESSION_AND_USER, params={"session_hash": session_hash}).first()
    return (found[0], found[1]) if found is not None else None


def delete_session(*, session: Session, session_hash: str) -> bool:
    result = session.execute(delete(WebSession).where(col(WebSession.session_hash) == session_hash))
    return bool(getattr(result, "rowcount", 0))


def delete_sessions_of(
    *, session: Session, user_id: int, expired_before: datetime | None = None
) -> None:
    """All of a person's sessions, or only those that expired before a time."""
    statement = delete(WebSession).where(col(WebSession.user_id) == user_id)
    if expired_before is not None:
        statement = statement.where(col(WebSession.expires_at) <= expired_before)
    session.execute(statement)


def live_sessions_of(*, session: Session, user_id: int, now: datetime) -> list[WebSession]:
    """A person's unexpired web sessions, most recently used first."""
    return list(
        session.exec(
            select(WebSession)
            .where(col(WebSession.user_id) == user_id, col(WebSession.expires_at) > now)
            .order_by(col(WebSession.last_seen_at).desc(), col(WebSession.id).desc())
        ).all()
    )


def delete_session_of(*, session: Session, user_id: int, session_id: int) -> bool:
    """End one of a person's sessions; ``False`` when it is not theirs (or gone)."""
    result = session.execute(
        delete(WebSession).where(
            col(WebSession.id) == session_id, col(WebSession.user_id) == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def delete_other_sessions(*, session: Session, user_id: int, keep_id: int | None) -> int:
    """End all of a person's sessions but ``keep_id`` (the caller's own); how many."""
    statement = delete(WebSession).where(col(WebSession.user_id) == user_id)
    if keep_id is not None:
        statement = statement.where(col(WebSession.id) != keep_id)
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def live_tokens_of(*, session: Session, user_id: int, now: datetime) -> list[ApiToken]:
    """A person's API tokens that still work, newest first."""
    return list(
        session.exec(
            select(ApiToken)
            .where(
                col(ApiToken.user_id) == user_id,
                col(ApiToken.revoked_at).is_(None),
                col(ApiToken.expires_at) > now,
            )
            .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
        ).all()
    )


def revoke_token_of(*, session: Session, user_id: int, token_id: int, at: datetime) -> bool:
    """Revoke one of a person's live tokens; ``False`` when not theirs, unknown or revoked."""
    where = (col(ApiToken.id) == token_id) & (col(ApiToken.user_id) == user_id)
    return _revoke(session, where=where, at=at) == 1


# -- one-time links (invitations, password resets) -----------------------------


def link_by_hash(*, session: Session, table: type[LinkRow], secret_hash: str) -> LinkRow | None:
    return session.exec(select(table).where(col(table.secret_hash) == secret_hash)).first()


def claim_link(*, session: Session, table: type[LinkRow], link_id: int, at: datetime) -> bool:
    """Use a link up, if still open: one conditional UPDATE, so one of two racers wins."""
    result = session.execute(
        update(table)
        .where(col(table.id) == link_id, col(table.used_at).is_(None), col(table.expires_at) > at)
        .values(used_at=at)
    )
    return getattr(result, "rowcount", 0) == 1


def retire_open_links(
    *, session: Session, table: type[LinkRow], user_id: int, at: datetime
) -> None:
    """Expire a person's unused links of one kind now."""
    session.execute(
        update(table)
        .where(col(table.user_id) == user_id, col(table.used_at).is_(None))
        .values(expires_at=at)
    )


# -- password reset throttle ----------------------------------------------------


def reset_request_times(
    *, session: Session, column: Any, key: str, since: datetime
) -> Sequence[datetime]:
    """When ``key`` (``PasswordResetRequest.account_key`` or ``.client_key``) asked, in order."""
    return _times_since(session, PasswordResetRequest.requested_at, column, key, since)


def prune_reset_requests(*, session: Session, before: datetime) -> int:
    """Forget reset requests at or before ``before``; how many went."""
    result = session.execute(
        delete(PasswordResetRequest).where(col(PasswordResetRequest.requested_at) <= before)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _times_since(
    session: Session, time_column: Any, key_column: Any, key: str, since: datetime
) -> Sequence[datetime]:
    """The times of a throttle table's rows for one key after ``since``, oldest first."""
    return session.exec(
        select(time_column)
        .where(col(key_column) == key, col(time_column) > since)
        .order_by(col(time_column))
    ).all()


# -- login throttle -------------------------------------------------------------


def lock_throttle_keys(*, session: Session, keys: Sequence[tuple[str, str]], at: datetime) -> None:
    """Take the row lock of each ``(scope, key)``, creating rows as needed, in this order.

    ``INSERT … ON CONFLICT DO UPDATE`` locks the row until the transaction
    ends (PostgreSQL; SQLite's transactions already hold the database's write
    lock), so two attempts on one key check, verify and record one after the
    other. Callers must always lock in the same order (account, then client).
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for scope, key in keys:
        statement = insert(LoginThrottleKey).values(scope=scope, key=key, seen_at=at)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["scope", "key"], set_={"seen_at": statement.excluded.seen_at}
            )
        )


def failure_times(
    *, session: Session, column: Any, key: str, since: datetime
) -> Sequence[datetime]:
    """When ``key`` failed (in ``LoginFailure.account_key`` or ``.client_key``), oldest first."""
    return _times_since(session, LoginFailure.failed_at, column, key, since)


def prune_throttle(*, session: Session, before: datetime) -> None:
    """Drop failures and key rows older than every window.

    Rows another transaction holds are skipped (``SKIP LOCKED``), so pruning
    never waits for, or deadlocks with, a login in progress.
    """
    stale_failures = (
        select(LoginFailure.id)
        .where(col(LoginFailure.failed_at) <= before)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(LoginFailure).where(col(LoginFailure.id).in_(stale_failures)))
    stale_keys = (
        select(LoginThrottleKey.scope, LoginThrottleKey.key)
        .where(col(LoginThrottleKey.seen_at) <= before)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(LoginThrottleKey).where(
            tuple_(col(LoginThrottleKey.scope), col(LoginThrottleKey.key)).in_(stale_keys)
        )
    )


def forgive_account(*, session: Session, account_key: str) -> None:
    """Detach an account's failures from it (the client's count keeps them)."""
    session.execute(
        update(LoginFailure)
        .where(col(LoginFailure.account_key) == account_key)
        .values(account_key=None)
    )


# -- single sign-on ------------------------------------------------------------


def take_sso_attempt(*, session: Session, state_hash: str) -> SsoLoginAttempt | None:
    """The attempt for a returned ``state``, deleted in the same statement: used once.

    ``DELETE … RETURNING`` lets only one of two concurrent returns with the same
    state have the row (SQLite ≥ 3.35 and PostgreSQL both support it).
    """
    row = session.execute(
        delete(SsoLoginAttempt)
        .where(col(SsoLoginAttempt.state_hash) == state_hash)
        .returning(
            col(SsoLoginAttempt.nonce),
            col(SsoLoginAttempt.code_verifier),
            col(SsoLoginAttempt.next_path),
            col(SsoLoginAttempt.expires_at),
        )
    ).first()
    if row is None:
        return None
    return SsoLoginAttempt(
        state_hash=state_hash,
        nonce=row[0],
        code_verifier=row[1],
        next_path=row[2],
        expires_at=row[3],
    )


def prune_sso_attempts(*, session: Session, before: datetime) -> None:
    session.execute(delete(SsoLoginAttempt).where(col(SsoLoginAttempt.expires_at) <= before))


def sso_identity(*, session: Session, issuer: str, subject: str) -> SsoIdentity | None:
    return session.exec(
        select(SsoIdentity).where(
            col(SsoIdentity.issuer) == issuer, col(SsoIdentity.subject) == subject
        )
    ).first()


def has_sso_identity(*, session: Session, user_id: int) -> bool:
    found = session.exec(
        select(SsoIdentity.id).where(col(SsoIdentity.user_id) == user_id).limit(1)
    ).first()
    return found is not None


def sso_identities_of(*, session: Session, user_id: int) -> list[SsoIdentity]:
    statement = select(SsoIdentity).where(col(SsoIdentity.user_id) == user_id)
    return list(session.exec(statement.order_by(col(SsoIdentity.id))).all())
