"""People, roles, coach assignments, and the credentials that let them in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.columns import IdRow, id_reference, optional_timestamp, timestamp, timestamp_now


def user_id_column(
    *,
    ondelete: Literal["CASCADE", "SET NULL"] = "CASCADE",
    index: bool = False,
    primary_key: bool = False,
) -> Any:
    """A field referencing ``users.id`` (see :func:`app.core.columns.id_reference`)."""
    return id_reference("users.id", ondelete=ondelete, index=index, primary_key=primary_key)


class Role(StrEnum):
    participant = "participant"
    coach = "coach"
    admin = "admin"
    #: Programme lead: sees team insights as aggregates only (docs/security.md).
    lead = "lead"


class User(IdRow, table=True):
    __tablename__ = "users"
    # A coach's participants are listed by name (keyset on display_name, id).
    __table_args__ = (Index("ix_users_display_name_id", "display_name", "id"),)

    #: Stored lower-cased: email is the login and unique case-insensitively.
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    #: Argon2id hash; ``None`` until an invited person sets a password.
    password_hash: str | None = Field(default=None, max_length=255)
    #: Comma-separated :class:`Role` values, e.g. ``"coach,admin"``.
    roles: str = Field(default="participant", max_length=64)
    is_active: bool = Field(default=True)
    created_at: datetime = timestamp_now()
    #: The language the person chose (``de``); ``None``: their browser's (app/core/i18n.py).
    locale: str | None = Field(default=None, max_length=12)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split(",") if r)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set


class CoachAssignment(SQLModel, table=True):
    """A coach may see the assessments of the participants assigned to them."""

    __tablename__ = "coach_assignments"

    coach_id: int = user_id_column(primary_key=True)
    participant_id: int = user_id_column(primary_key=True, index=True)
    created_at: datetime = timestamp_now()


class ApiToken(IdRow, table=True):
    """An opaque bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    user_id: int = user_id_column(index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp()
    revoked_at: datetime | None = optional_timestamp()


class WebSession(IdRow, table=True):
    """A signed-in browser: the server side of the session cookie.

    Only the SHA-256 of the cookie value is stored (a leaked table opens no
    session). The CSRF synchronizer token lives here too, so every worker
    checks it the same way; it is rendered into pages, so it is stored as is.
    """

    __tablename__ = "web_sessions"

    session_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = user_id_column(index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp(index=True)
    #: The browser's ``User-Agent`` at sign-in (cut to 300 characters), shown on the
    #: sessions page so a person can tell their devices apart; ``None`` when unknown.
    user_agent: str | None = Field(default=None, max_length=300)
    #: Sign-in, then the last unsafe request (at most every few minutes, see
    #: ``app/accounts/signins.py``); ``None`` for sessions older than the column.
    last_seen_at: datetime | None = timestamp_now()


class LoginFailure(IdRow, table=True):
    """One failed password check, counted per account and per client address.

    Rows older than the throttle window are useless and are pruned when new
    failures are recorded.
    """

    __tablename__ = "login_failures"

    #: The normalized email tried, whether or not such an account exists;
    #: ``None`` once a successful login has forgiven it (the client's count stays).
    account_key: str | None = Field(default=None, max_length=254, index=True)
    #: The client's address as the server sees it (behind a trusted proxy: the forwarded one).
    client_key: str = Field(max_length=128, index=True)
    failed_at: datetime = timestamp_now(index=True)


class LoginThrottleKey(SQLModel, table=True):
    """One row per throttled key: the lock that makes check-verify-record atomic.

    A login attempt locks its account's row and its client's row (``INSERT …
    ON CONFLICT DO UPDATE``) before it counts failures, and keeps the locks
    until its transaction ends, so concurrent attempts on one key are checked
    one after the other and no more than the limit are ever verified. The
    rows hold no count: ``login_failures`` stays the sliding-window log.
    """

    __tablename__ = "login_throttle_keys"

    #: ``"account"`` (normalized email) or ``"client"`` (address).
    scope: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True, max_length=254)
    #: Last attempt; rows older than the window are pruned with the failures.
    seen_at: datetime = timestamp_now(index=True)


class Invitation(IdRow, table=True):
    """A single-use, expiring link where an invited person sets their password."""

    __tablename__ = "invitations"

    user_id: int = user_id_column(index=True)
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    created_by_id: int | None = user_id_column(ondelete="SET NULL")
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp()
    used_at: datetime | None = optional_timestamp()
