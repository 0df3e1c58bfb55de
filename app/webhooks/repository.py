"""The webhooks domain's queries (its own tables only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

#: Deliveries shown per endpoint, newest first.
DELIVERY_LOG_LIMIT = 50


def list_endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))).all())


def count_endpoints(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(WebhookEndpoint)).one())


def active_endpoints(session: Session) -> list[WebhookEndpoint]:
    """Every active endpoint (at most ``MAX_ENDPOINTS``: filtering events in Python is cheap)."""
    return list(
        session.exec(
            select(WebhookEndpoint)
            .where(col(WebhookEndpoint.is_active).is_(True))
            .order_by(col(WebhookEndpoint.id))
        ).all()
    )


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint | None:
    return session.get(WebhookEndpoint, endpoint_id)


def get_delivery(session: Session, delivery_id: int) -> WebhookDelivery | None:
    return session.get(WebhookDelivery, delivery_id)


def recent_deliveries(
    session: Session, endpoint_id: int, limit: int = DELIVERY_LOG_LIMIT
) -> list[WebhookDelivery]:
    return list(
        session.exec(
            select(WebhookDelivery)
            .where(col(WebhookDelivery.endpoint_id) == endpoint_id)
            .order_by(col(WebhookDelivery.id).desc())
            .limit(limit)
        ).all()
    )


def attempts_of(session: Session, delivery_ids: Sequence[int]) -> dict[int, list[WebhookAttempt]]:
    """Each delivery's attempts, oldest first (one query for the whole log)."""
    found: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
    if not delivery_ids:
        return found
    rows = session.exec(
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(list(delivery_ids)))
        .order_by(col(WebhookAttempt.id))
    ).all()
    for row in rows:
        found[row.delivery_id].append(row)
    return found


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    """The endpoint with its deliveries and attempts, in three statements (no row loading)."""
    deliveries = select(WebhookDelivery.id).where(col(WebhookDelivery.endpoint_id) == endpoint.id)
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint.id))
    session.delete(endpoint)
    session.flush()


def delete_finished_before(session: Session, cutoff: datetime) -> int:
    """Delivered and failed deliveries created before ``cutoff``, with their attempts."""
    old = select(WebhookDelivery.id).where(
        col(WebhookDelivery.status) != DeliveryStatus.pending.value,
        col(WebhookDelivery.created_at) < cutoff,
    )
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(old)))
    result = session.execute(
        delete(WebhookDelivery).where(
            col(WebhookDelivery.status) != DeliveryStatus.pending.value,
            col(WebhookDelivery.created_at) < cutoff,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
