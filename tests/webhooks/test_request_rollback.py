"""Through the real request unit of work: a request that rolls back sends no webhook.

The probe routes use the app's own session dependency (not the test
override), so the commit and the rollback are the ones production runs. Each
registers an endpoint, publishes an event (the subscriber queues a delivery
and its job) and then fails or succeeds.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text
from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.core import events
from app.webhooks import service
from app.webhooks.fields import EndpointFields
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.fixtures.probe import (
    assert_kept_only_on_success,
    delete_jobs,
    probe_client,
    queued_jobs,
)

PROBE_DESCRIPTION = "rollback-probe"


def _register_and_publish(session: Session) -> None:
    admin = User(email="probe@example.test", display_name="Probe", roles=Role.admin.value)
    service.create_endpoint(
        session=session,
        actor=admin,
        fields=EndpointFields(
            url="http://127.0.0.1:9/probe",
            description=PROBE_DESCRIPTION,
            events=[events.ASSESSMENT_SUBMITTED],
        ),
        allow_private=True,
    )
    events.publish(session=session, name=events.ASSESSMENT_SUBMITTED, data={"assessment_id": 1})


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        deliveries = conn.execute(
            text(
                "SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e"
                " ON e.id = d.endpoint_id WHERE e.description = :d"
            ),
            {"d": PROBE_DESCRIPTION},
        ).scalar_one()
    return int(deliveries), queued_jobs(engine, "webhooks.deliver")


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with probe_client(_register_and_publish) as client:
        yield client
    with Session(engine) as session:  # the successful probe committed for real
        probe = col(WebhookEndpoint.description) == PROBE_DESCRIPTION
        probes = select(WebhookEndpoint.id).where(probe)
        session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id).in_(probes)))
        session.execute(delete(WebhookEndpoint).where(probe))
        delete_jobs(session, engine, "webhooks.deliver")
        session.commit()


def test_a_failed_request_queues_no_delivery(client: TestClient, engine: Engine) -> None:
    assert_kept_only_on_success(client, lambda: _counts(engine))
