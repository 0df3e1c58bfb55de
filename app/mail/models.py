"""The outbox and the addresses that cannot receive mail.

Every message is a row of ``mail_messages``, written in the transaction that
causes it. Its bodies are kept only as long as needed: cleared once an SMTP
server has accepted the message (links in it are credentials), kept when
there is no SMTP server (the development outbox, which admins read at
/admin/mail instead of a mailbox).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from app.core.columns import IdRow, optional_timestamp, text_column, timestamp_now


class MailStatus(StrEnum):
    queued = "queued"
    #: Accepted by the SMTP server.
    sent = "sent"
    #: No SMTP server configured: written to the log and kept in the outbox.
    logged = "logged"
    #: Refused for good, or every retry failed.
    failed = "failed"
    #: Not attempted: the address is known to be undeliverable.
    suppressed = "suppressed"


class MailMessage(IdRow, table=True):
    __tablename__ = "mail_messages"

    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    #: Which template made it (``invitation``, ``password_reset`` …).
    kind: str = Field(max_length=50)
    status: str = Field(default=MailStatus.queued, max_length=16)
    text_body: str | None = text_column(default=None)
    html_body: str | None = text_column(default=None)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = timestamp_now()
    sent_at: datetime | None = optional_timestamp()


class UndeliverableAddress(IdRow, table=True):
    """An address an SMTP server refused permanently (5xx): not mailed again until cleared."""

    __tablename__ = "mail_undeliverable"

    address: str = Field(max_length=254, unique=True)
    reason: str = Field(max_length=500)
    failures: int = 1
    first_failed_at: datetime = timestamp_now()
    last_failed_at: datetime = timestamp_now()
