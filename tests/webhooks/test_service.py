"""Service rules the HTTP tests do not reach: the payload, pruning the log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.core import events
from app.webhooks import service
from app.webhooks.fields import EndpointFields
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery


def test_the_payload_is_type_timestamp_and_data() -> None:
    event = events.Event(
        name=events.REVIEW_FINALIZED,
        data={"review_id": 3},
        occurred_at=datetime(2026, 12, 1, 16, 0, 0, 123000, tzinfo=UTC),
    )
    assert json.loads(service.payload_of(event)) == {
        "type": "review.finalized",
        "timestamp": "2026-12-01T16:00:00.123000Z",
        "data": {"review_id": 3},
    }


def test_pruning_forgets_old_finished_deliveries_only(session: Session, admin: User) -> None:
    endpoint = service.create_endpoint(
        session=session,
        actor=admin,
        fields=EndpointFields(url="http://127.0.0.1:9/prune", events=[events.ASSESSMENT_SUBMITTED]),
        allow_private=True,
    )
    event = events.Event(name=events.ASSESSMENT_SUBMITTED, data={"assessment_id": 1})
    old_done, old_pending, new_done = (
        service.queue_deliveries(session=session, event=event)[0] for _ in range(3)
    )
    long_ago = datetime.now(UTC) - timedelta(days=31)
    for delivery, status, created in (
        (old_done, DeliveryStatus.delivered, long_ago),
        (old_pending, DeliveryStatus.pending, long_ago),
        (new_done, DeliveryStatus.failed, datetime.now(UTC)),
    ):
        delivery.status, delivery.created_at = status.value, created
        session.add(delivery)
    session.flush()
    assert old_done.id is not None
    session.add(WebhookAttempt(delivery_id=old_done.id, status_code=200, succeeded=True))
    session.flush()
    assert service.prune_deliveries(session=session, older_than=timedelta(days=30)) == 1
    session.expire_all()
    left = session.exec(
        select(WebhookDelivery.id).where(col(WebhookDelivery.endpoint_id) == endpoint.id)
    ).all()
    assert sorted(left) == sorted([old_pending.id, new_done.id])
    assert session.exec(select(WebhookAttempt)).all() == []
