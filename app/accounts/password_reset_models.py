"""Tables of the forgot-password flow (kept apart from ``models.py`` while accounts is reworked).

``password_resets`` holds one row per emailed link, with only the SHA-256 of
its secret. ``password_reset_requests`` records every request, for known and
unknown addresses alike (by the SHA-256 of the normalised address, so it is
no list of who asked), which is what the throttle counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from app.core.columns import IdRow, id_reference, optional_timestamp, timestamp, timestamp_now


class PasswordReset(IdRow, table=True):
    __tablename__ = "password_resets"

    user_id: int = id_reference("users.id", index=True)
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp()
    used_at: datetime | None = optional_timestamp()


class PasswordResetRequest(IdRow, table=True):
    __tablename__ = "password_reset_requests"

    #: SHA-256 of the normalised email address asked for.
    account_key: str = Field(max_length=64, index=True)
    client_key: str = Field(max_length=64, index=True)
    requested_at: datetime = timestamp_now(index=True)
