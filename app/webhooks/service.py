"""What admins do with webhook endpoints, and what happens when an event is published.

Every admin function takes the ``actor`` and asks
:func:`app.accounts.policy.ensure_admin` first (404 for anyone else, as the
rest of the admin API). Input is validated here, not only by the JSON
schemas, so the admin pages get the same located errors. Saves are
versioned (:mod:`app.core.versioning`): a stale version is a 409 with the
endpoint as it is now.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.core.events import EVENT_NAMES, Event
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.text_fields import checked_description
from app.core.timeutils import utcnow
from app.core.versioning import PlainVersioned
from app.jobs.queue import enqueue
from app.webhooks import repository, signing
from app.webhooks.addresses import RefusedAddress, resolve
from app.webhooks.fields import EndpointFields
from app.webhooks.models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_ENDPOINTS,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.webhooks.schemas import EndpointOut

logger = logging.getLogger("stepwise.webhooks")


DELIVER_TASK = "webhooks.deliver"


@dataclass(frozen=True)
class DeliveryLog:
    """One delivery with its attempts, oldest first, as admins see it."""

    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


# -- validation ---------------------------------------------------------------


def _checked_url(url: str, *, allow_private: bool) -> str:
    url = url.strip()
    try:
        resolve(url, allow_private=allow_private)
    except RefusedAddress as exc:
        raise InvalidInput(
            N_("The URL cannot receive webhooks"),
            errors=[field_error(["body", "url"], f"URL {exc}")],
        ) from None
    return url


def _checked_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    errors = [
        field_error(["body", "events", i], N_("unknown event"), "literal_error")
        for i, name in enumerate(chosen)
        if name not in EVENT_NAMES
    ]
    if not chosen:
        errors.append(field_error(["body", "events"], N_("choose at least one event"), "missing"))
    if errors:
        raise InvalidInput(N_("Choose the events to send"), errors=errors)
    return chosen


# -- admin functions ----------------------------------------------------------


def list_endpoints(*, session: Session, actor: User) -> list[WebhookEndpoint]:
    policy.ensure_admin(user=actor)
    return repository.list_endpoints(session)


def get_endpoint(*, session: Session, actor: User, endpoint_id: int) -> WebhookEndpoint:
    policy.ensure_admin(user=actor)
    endpoint = repository.get_endpoint(session, endpoint_id)
    if endpoint is None:
        raise NotFound("Webhook endpoint not found")
    return endpoint


def create_endpoint(
    *,
    session: Session,
    actor: User,
    fields: EndpointFields,
    allow_private: bool,
) -> WebhookEndpoint:
    policy.ensure_admin(user=actor)
    endpoint = WebhookEndpoint(
        url=_checked_url(fields.url, allow_private=allow_private),
        description=checked_description(fields.description, max_length=MAX_DESCRIPTION_LENGTH),
        events=_checked_events(fields.events),
        is_active=fields.is_active,
        secret=signing.new_secret(),
    )
    if repository.count_endpoints(session) >= MAX_ENDPOINTS:
        raise Conflict(f"At most {MAX_ENDPOINTS} webhook endpoints: delete one first")
    session.add(endpoint)
    session.flush()
    logger.info("webhook endpoint %s created by user %s", endpoint.id, actor.id)
    return endpoint


ENDPOINT = PlainVersioned(
    WebhookEndpoint,
    what="endpoint",
    missing="Webhook endpoint not found",
    shown=lambda row: EndpointOut.of(row).model_dump(mode="json"),
)


def update_endpoint(
    *,
    session: Session,
    actor: User,
    endpoint_id: int,
    expected_version: int,
    allow_private: bool,
    url: str | None = None,
    description: str | None = None,
    events: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change the given fields; everything is checked before the version is claimed."""
    endpoint = get_endpoint(session=session, actor=actor, endpoint_id=endpoint_id)
    changes: dict[str, object] = {}
    if url is not None:
        changes["url"] = _checked_url(url, allow_private=allow_private)
    if description is not None:
        changes["description"] = checked_description(description, max_length=MAX_DESCRIPTION_LENGTH)
    if events is not None:
        changes["events"] = _checked_events(events)
    if is_active is not None:
        changes["is_active"] = is_active
    ENDPOINT.claim(session, endpoint, expected_version)
    for name, value in changes.items():
        setattr(endpoint, name, value)
    session.add(endpoint)
    session.flush()
    return endpoint


def rotate_secret(
    *, session: Session, actor: User, endpoint_id: int, expected_version: int
) -> WebhookEndpoint:
    """A new secret, used from the next attempt on (the old one stops working at once)."""
    endpoint = get_endpoint(session=session, actor=actor, endpoint_id=endpoint_id)
    ENDPOINT.claim(session, endpoint, expected_version)
    endpoint.secret = signing.new_secret()
    session.add(endpoint)
    session.flush()
    logger.info("webhook endpoint %s: secret rotated by user %s", endpoint.id, actor.id)
    return endpoint


def delete_endpoint(*, session: Session, actor: User, endpoint_id: int) -> None:
    endpoint = get_endpoint(session=session, actor=actor, endpoint_id=endpoint_id)
    repository.delete_endpoint(session, endpoint)
    logger.info("webhook endpoint %s deleted by user %s", endpoint_id, actor.id)


def delivery_log(*, session: Session, actor: User, endpoint_id: int) -> list[DeliveryLog]:
    """The endpoint's latest deliveries, newest first, each with its attempts."""
    get_endpoint(session=session, actor=actor, endpoint_id=endpoint_id)
    deliveries = repository.recent_deliveries(session, endpoint_id)
    attempts = repository.attempts_of(session, [d.id for d in deliveries if d.id is not None])
    return [DeliveryLog(delivery=d, attempts=attempts[d.id or 0]) for d in deliveries]


def endpoint_of_delivery(*, session: Session, actor: User, delivery_id: int) -> int:
    policy.ensure_admin(user=actor)
    delivery = repository.get_delivery(session, delivery_id)
    if delivery is None:
        raise NotFound("Webhook delivery not found")
    return delivery.endpoint_id


def redeliver(*, session: Session, actor: User, delivery_id: int) -> DeliveryLog:
    """Send a delivery again: the same body and ``webhook-id``, a fresh round of retries."""
    endpoint_of_delivery(session=session, actor=actor, delivery_id=delivery_id)
    delivery = repository.get_delivery(session, delivery_id)
    assert delivery is not None
    if delivery.status == DeliveryStatus.pending:
        raise Conflict(N_("This delivery is still queued: wait for its attempts to finish"))
    delivery.status = DeliveryStatus.pending.value
    session.add(delivery)
    session.flush()
    assert delivery.id is not None
    enqueue(session=session, task=DELIVER_TASK, args={"delivery_id": delivery.id})
    return DeliveryLog(delivery, repository.attempts_of(session, [delivery.id])[delivery.id])


def prune_deliveries(*, session: Session, older_than: timedelta) -> int:
    """Forget finished deliveries (and their attempts) older than ``older_than``."""
    return repository.delete_finished_before(session, utcnow() - older_than)


# -- events -------------------------------------------------------------------


def payload_of(event: Event) -> str:
    """The JSON body of every delivery of ``event`` (fixed once: retries send the same bytes)."""
    timestamp = event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    body = {"type": event.name, "timestamp": timestamp, "data": dict(event.data)}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def queue_deliveries(*, session: Session, event: Event) -> list[WebhookDelivery]:
    """One delivery (and one job) per active endpoint that wants ``event``, in this transaction."""
    payload = payload_of(event)
    queued: list[WebhookDelivery] = []
    for endpoint in repository.active_endpoints(session):
        if event.name not in endpoint.events:
            continue
        assert endpoint.id is not None
        delivery = WebhookDelivery(
            endpoint_id=endpoint.id,
            message_id=signing.new_message_id(),
            event=event.name,
            payload=payload,
        )
        session.add(delivery)
        session.flush()
        assert delivery.id is not None
        enqueue(session=session, task=DELIVER_TASK, args={"delivery_id": delivery.id})
        queued.append(delivery)
    return queued
