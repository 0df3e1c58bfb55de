"""The settable fields of a webhook endpoint, one record for the admin form and the API body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.webhooks.models import WebhookEndpoint


@dataclass(frozen=True)
class EndpointFields:
    """What an admin sets on an endpoint: the admin form and the API body both give these.

    As given, not yet checked: :func:`create_endpoint` checks them (and the admin
    form shows them again when they are refused).
    """

    url: str
    events: Sequence[str]
    description: str = ""
    is_active: bool = True

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> EndpointFields:
        """An endpoint's fields as saved (the admin page's form before an edit)."""
        return cls(
            url=endpoint.url,
            description=endpoint.description,
            events=list(endpoint.events),
            is_active=endpoint.is_active,
        )
