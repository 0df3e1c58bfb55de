"""The subscriber that queues deliveries, and the ``webhooks.deliver`` job that sends one.

Each attempt signs the stored body afresh (a new ``webhook-timestamp``, the
same ``webhook-id``) and POSTs it to the address the SSRF guard checked just
now. A 2xx answer is delivered; any other answer, a timeout or a network
error raises, so the job queue retries with backoff (1, 2, 4 … 64 minutes:
eight attempts over about two hours), and ``_record_failure`` writes each
failed attempt to the log; after the last one the delivery is ``failed``.
An address the guard refuses is not retried. The secret is never logged.
``webhooks.prune`` forgets finished deliveries after 30 days.
"""

from __future__ import annotations

import http.client
import logging
import re
import time
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core import events
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.jobs.registry import task
from app.webhooks import repository, service, signing, transport
from app.webhooks.addresses import RefusedAddress, resolve
from app.webhooks.models import (
    MAX_ERROR_LENGTH,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
)

logger = logging.getLogger("stepwise.webhooks")

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60.0
#: Finished deliveries are kept this long in the log.
KEEP_DELIVERIES = timedelta(days=30)

_FAILED_PREFIX = "DeliveryFailed: "
_STATUS = re.compile(r"^HTTP (\d{3})\b")


class DeliveryFailed(Exception):
    """A failed attempt: ``HTTP <code>`` or a short network error (the retry's reason)."""


@events.subscribe(*events.EVENT_NAMES)
def queue_webhook_deliveries(*, session: Session, event: events.Event) -> None:
    service.queue_deliveries(session=session, event=event)


def _record_attempt(
    session: Session,
    delivery: WebhookDelivery,
    *,
    status: DeliveryStatus,
    status_code: int | None = None,
    error: str | None = None,
) -> None:
    assert delivery.id is not None
    now = utcnow()
    error = error[:MAX_ERROR_LENGTH] if error else None
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=status_code,
            error=error,
            succeeded=status is DeliveryStatus.delivered,
        )
    )
    delivery.attempts += 1
    delivery.status = status.value
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.last_attempt_at = now
    if status is DeliveryStatus.delivered:
        delivery.delivered_at = now
    session.add(delivery)


def _record_failure(*, session: Session, args: dict[str, Any], error: str, final: bool) -> None:
    """After a failed attempt (its own unit of work): log it, and give up after the last."""
    delivery = repository.get_delivery(session, int(args.get("delivery_id", 0)))
    if delivery is None:
        return
    reason = error.removeprefix(_FAILED_PREFIX)
    found = _STATUS.match(reason)
    _record_attempt(
        session,
        delivery,
        status=DeliveryStatus.failed if final else DeliveryStatus.pending,
        status_code=int(found.group(1)) if found else None,
        error=reason,
    )


def _network_error(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):
        return f"timed out after {transport.TIMEOUT_SECONDS:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")


@task(
    service.DELIVER_TASK,
    max_attempts=MAX_ATTEMPTS,
    retry_base_seconds=RETRY_BASE_SECONDS,
    on_failure=_record_failure,
)
def deliver(*, session: Session, delivery_id: int) -> None:
    delivery = repository.get_delivery(session, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.pending:
        return  # deleted with its endpoint, or already handled (a re-run after a crash)
    endpoint = repository.get_endpoint(session, delivery.endpoint_id)
    if endpoint is None:
        return
    if not endpoint.is_active:
        delivery.status = DeliveryStatus.failed.value
        delivery.last_error = "not sent: the endpoint was deactivated"
        session.add(delivery)
        return
    try:
        target = resolve(endpoint.url, allow_private=get_settings().webhooks_allow_private)
    except RefusedAddress as exc:
        reason = f"refused: URL {exc}"
        _record_attempt(session, delivery, status=DeliveryStatus.failed, error=reason)
        logger.warning("webhook delivery %s refused: URL %s", delivery.id, exc)
        return
    body = delivery.payload.encode()
    headers = signing.headers(
        secret=endpoint.secret,
        message_id=delivery.message_id,
        timestamp=int(time.time()),
        body=body,
    )
    try:
        code = transport.post(target, body=body, headers=headers)
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryFailed(_network_error(exc)) from None
    if not 200 <= code < 300:
        raise DeliveryFailed(f"HTTP {code}")
    _record_attempt(session, delivery, status=DeliveryStatus.delivered, status_code=code)
    logger.info("webhook delivery %s: HTTP %s", delivery.id, code)


@task("webhooks.prune", cron="41 3 * * *")
def prune_deliveries(*, session: Session) -> None:
    """Daily: forget finished deliveries older than 30 days (the log stays bounded)."""
    removed = service.prune_deliveries(session=session, older_than=KEEP_DELIVERIES)
    if removed:
        logger.info("webhook deliveries pruned: %s", removed)
