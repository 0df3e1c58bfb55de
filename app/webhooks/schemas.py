"""JSON shapes of the webhooks API (admins only)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.api_schemas import RowOut, from_row
from app.core.types import Version
from app.webhooks.fields import EndpointFields
from app.webhooks.models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_URL_LENGTH,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

#: The names of ``app.core.events.EVENT_NAMES``, spelled out for the schema.
EventName = Literal["assessment.submitted", "review.finalized", "plan_action.updated"]


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=MAX_URL_LENGTH, description="https:// URL that receives POSTs")
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    events: list[EventName] = Field(min_length=1, max_length=10)
    is_active: bool = True

    def fields(self) -> EndpointFields:
        return EndpointFields(
            url=self.url, description=self.description, events=self.events, is_active=self.is_active
        )


class EndpointUpdate(BaseModel):
    """Any of the fields; ``version`` (or ``If-Match``) names the version you last saw."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=MAX_URL_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    events: list[EventName] | None = Field(default=None, min_length=1, max_length=10)
    is_active: bool | None = None
    version: Version | None = None


class EndpointOut(RowOut[WebhookEndpoint]):
    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    #: The signing secret (``whsec_…``): give it to the receiver; rotate it if it leaks.
    secret: str
    version: int
    created_at: datetime
    updated_at: datetime


class AttemptOut(RowOut[WebhookAttempt]):
    attempted_at: datetime
    status_code: int | None
    error: str | None
    succeeded: bool


class DeliveryOut(BaseModel):
    id: int
    endpoint_id: int
    #: The ``webhook-id`` header of every attempt.
    message_id: str
    event: str
    status: str
    payload: dict[str, Any]
    created_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    attempts: list[AttemptOut]

    @classmethod
    def of(cls, delivery: WebhookDelivery, attempts: Sequence[WebhookAttempt]) -> DeliveryOut:
        return from_row(
            cls,
            delivery,
            payload=json.loads(delivery.payload),
            attempts=[AttemptOut.of(a) for a in attempts],
        )
