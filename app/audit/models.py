"""The ``audit_events`` table: one row per look at, or change to, someone's personal data.

Append-only: the code has no update or delete, and the migration adds
triggers that refuse UPDATE and DELETE on SQLite and PostgreSQL. The ids are
plain integers, not foreign keys: a foreign key would have to cascade or
null them when a person is erased, which is exactly the change the trail
must never see. A row holds codes and ids only -- never a secret, an answer,
a note or any other text a person wrote (docs/security.md, "Audit trail").
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from app.core.columns import IdRow, timestamp_now

#: Longest action code and target type (codes are ours, see :mod:`app.audit.actions`).
CODE_LENGTH = 40
#: Longest request id kept (ours are 32 hex characters).
REQUEST_ID_LENGTH = 64


class AuditEvent(IdRow, table=True):
    __tablename__ = "audit_events"

    at: datetime = timestamp_now(index=True)
    #: Who did it; ``None``: nobody signed in (a share link opened) or the operator's CLI.
    actor_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=CODE_LENGTH, index=True)
    #: Whose data it was; ``None`` when it was nobody's in particular (a cohort summary).
    subject_user_id: int | None = Field(default=None, index=True)
    target_type: str | None = Field(default=None, max_length=CODE_LENGTH)
    target_id: int | None = None
    request_id: str | None = Field(default=None, max_length=REQUEST_ID_LENGTH)
