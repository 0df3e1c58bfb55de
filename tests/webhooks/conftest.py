"""Webhook tests hear events through the webhook subscriber alone (no mail, no renders)."""

from __future__ import annotations

import pytest

from app.webhooks.tasks import queue_webhook_deliveries
from tests.fixtures.events import OnlySubscribers


@pytest.fixture(autouse=True)
def _webhook_subscriber_only(only_subscribers: OnlySubscribers) -> None:
    only_subscribers(queue_webhook_deliveries)
