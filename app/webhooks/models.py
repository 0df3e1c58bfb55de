"""Webhook endpoints, their deliveries and each delivery's attempts.

An endpoint is an integrator's URL with the events it wants and its signing
secret (kept in clear: HMAC needs the key itself; it is shown to admins and
never logged). A delivery is one event for one endpoint: its JSON body is
fixed when the event happens and its ``message_id`` is the ``webhook-id``
header of every attempt, so a receiver can tell a retry from a new event.
Each attempt keeps only the status code and a short error, never the
response body.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field

from app.core.columns import IdRow, optional_timestamp, text_column, timestamp_now
from app.core.constraints import version_check

#: Longest endpoint URL and description accepted (docs/security.md).
MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 500
#: Endpoints one installation may register.
MAX_ENDPOINTS = 50
#: The short error kept per attempt.
MAX_ERROR_LENGTH = 300


class DeliveryStatus(StrEnum):
    #: Queued or being retried.
    pending = "pending"
    delivered = "delivered"
    #: Every attempt failed, or the address was refused: an admin may redeliver.
    failed = "failed"


class WebhookEndpoint(IdRow, table=True):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (version_check("webhook_endpoints"),)

    url: str = Field(max_length=MAX_URL_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    #: Event names (a subset of ``app.core.events.EVENT_NAMES``), sorted.
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: ``whsec_`` + base64 of the random key (the Standard Webhooks format).
    secret: str = Field(max_length=100)
    is_active: bool = True
    #: Optimistic lock: starts at 1, +1 on every change (app.core.versioning).
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()


class WebhookDelivery(IdRow, table=True):
    __tablename__ = "webhook_deliveries"

    endpoint_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    #: The ``webhook-id`` header: the same on every attempt and redelivery.
    message_id: str = Field(max_length=40, unique=True)
    event: str = Field(max_length=50)
    #: The exact JSON body sent (and signed) on every attempt.
    payload: str = text_column()
    status: str = Field(default=DeliveryStatus.pending.value, max_length=16)
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=MAX_ERROR_LENGTH)
    created_at: datetime = timestamp_now()
    last_attempt_at: datetime | None = optional_timestamp()
    delivered_at: datetime | None = optional_timestamp()


class WebhookAttempt(IdRow, table=True):
    """One POST of a delivery: when, what came back (a status code or a short error)."""

    __tablename__ = "webhook_attempts"

    delivery_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    attempted_at: datetime = timestamp_now()
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=MAX_ERROR_LENGTH)
    succeeded: bool = False
