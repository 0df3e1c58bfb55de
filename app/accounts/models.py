"""People, roles, coach assignments and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer
from sqlmodel import Column, Field, SQLModel

from app.core.columns import UTCDateTime
from app.core.timeutils import utcnow


class Role(StrEnum):
    participant = "participant"
    coach = "coach"
    admin = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    #: Stored lower-cased: email is the login and unique case-insensitively.
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    #: Argon2id hash; ``None`` until an invited person sets a password.
    password_hash: str | None = Field(default=None, max_length=255)
    #: Comma-separated :class:`Role` values, e.g. ``"coach,admin"``.
    roles: str = Field(default="participant", max_length=64)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split(",") if r)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set


class CoachAssignment(SQLModel, table=True):
    """A coach may see the assessments of the participants assigned to them."""

    __tablename__ = "coach_assignments"

    coach_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """An opaque bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
