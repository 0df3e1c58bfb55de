"""Authorization rules: the webhooks API and admin pages (admins only, 404 for others)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.core import events
from app.webhooks import service
from app.webhooks.fields import EndpointFields
from app.webhooks.models import DeliveryStatus
from tests.authz.matrix import Rule, World, admin_only


def prepare(world: World, session: Session) -> dict[str, Any]:
    """An endpoint with one delivery that has finished (so it may be redelivered)."""
    endpoint = service.create_endpoint(
        session=session,
        actor=world.admin,
        fields=EndpointFields(
            url="http://127.0.0.1:9/authz", description="authz", events=list(events.EVENT_NAMES)
        ),
        allow_private=True,
    )
    event = events.Event(name=events.ASSESSMENT_SUBMITTED, data={"assessment_id": 1})
    (delivery,) = service.queue_deliveries(session=session, event=event)
    delivery.status = DeliveryStatus.failed.value
    session.add(delivery)
    session.flush()
    return {"endpoint_id": endpoint.id, "delivery_id": delivery.id}


API = "/api/v1/webhooks"
ENDPOINT = f"{API}/endpoints/{{endpoint_id}}"
PAGE = "/admin/webhooks/{endpoint_id:id}"
page_admin_only = admin_only(200, anonymous=303)
page_post = admin_only(303, anonymous=303)
NEW = {"url": "http://127.0.0.1:9/new", "events": ["review.finalized"]}

RULES: list[Rule] = [
    Rule("GET", f"{API}/endpoints", admin_only(200)),
    Rule("POST", f"{API}/endpoints", admin_only(201), json=NEW),
    Rule("GET", ENDPOINT, admin_only(200)),
    Rule("PATCH", ENDPOINT, admin_only(200), json={"description": "renamed", "version": 1}),
    Rule("DELETE", ENDPOINT, admin_only(204)),
    Rule("POST", f"{ENDPOINT}/rotate-secret", admin_only(200), json={"version": 1}),
    Rule("GET", f"{ENDPOINT}/deliveries", admin_only(200)),
    Rule("POST", f"{API}/deliveries/{{delivery_id}}/redeliver", admin_only(202)),
    Rule("GET", "/admin/webhooks", page_admin_only),
    Rule("POST", "/admin/webhooks", page_post, form={**NEW, "is_active": "1"}),
    Rule("GET", PAGE, page_admin_only),
    Rule("POST", PAGE, page_post, form={**NEW, "version": "1"}),
    Rule("POST", f"{PAGE}/rotate-secret", page_post, form={"version": "1"}),
    Rule("POST", f"{PAGE}/delete", page_post),
    Rule("POST", "/admin/webhooks/deliveries/{delivery_id:id}/redeliver", page_post),
]
