"""JSON API of webhook endpoints and their delivery logs: admins only (404 for anyone else).

Endpoint reads carry ``ETag: "<version>"``; a PATCH or a secret rotation
names the version it is based on (``If-Match`` or ``version``) and a stale
one answers 409 with ``current``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep, SettingsDep
from app.core.types import Id
from app.core.versioning import VersionedUpdate, VersionedWrite, set_etag
from app.webhooks import service
from app.webhooks.models import WebhookEndpoint
from app.webhooks.schemas import DeliveryOut, EndpointCreate, EndpointOut, EndpointUpdate

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Stale version; body.current is the current endpoint"}
}


def _endpoint(endpoint: WebhookEndpoint, response: Response) -> EndpointOut:
    set_etag(response, endpoint.version)
    return EndpointOut.of(endpoint)


@router.get("/endpoints", response_model=list[EndpointOut])
def list_endpoints(user: CurrentUser, session: SessionDep) -> list[EndpointOut]:
    return [EndpointOut.of(e) for e in service.list_endpoints(session=session, actor=user)]


@router.post(
    "/endpoints",
    response_model=EndpointOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Too many endpoints"}},
)
def create_endpoint(
    body: EndpointCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> EndpointOut:
    """Register an endpoint; the answer holds its signing secret."""
    endpoint = service.create_endpoint(
        session=session,
        actor=user,
        fields=body.fields(),
        allow_private=settings.webhooks_allow_private,
    )
    return _endpoint(endpoint, response)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointOut)
def get_endpoint(
    endpoint_id: Id, user: CurrentUser, session: SessionDep, response: Response
) -> EndpointOut:
    endpoint = service.get_endpoint(session=session, actor=user, endpoint_id=endpoint_id)
    return _endpoint(endpoint, response)


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointOut, responses=CONFLICT)
def update_endpoint(
    endpoint_id: Id,
    body: EndpointUpdate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    write: VersionedUpdate,
) -> EndpointOut:
    endpoint = service.update_endpoint(
        session=session,
        actor=user,
        endpoint_id=endpoint_id,
        expected_version=write.expected(body),
        allow_private=settings.webhooks_allow_private,
        url=body.url,
        description=body.description,
        events=body.events,
        is_active=body.is_active,
    )
    return write.answer(endpoint.version, EndpointOut.of(endpoint))


@router.delete("/endpoints/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_endpoint(endpoint_id: Id, user: CurrentUser, session: SessionDep) -> None:
    """The endpoint and its delivery log; queued deliveries to it are dropped."""
    service.delete_endpoint(session=session, actor=user, endpoint_id=endpoint_id)


@router.post(
    "/endpoints/{endpoint_id}/rotate-secret", response_model=EndpointOut, responses=CONFLICT
)
def rotate_secret(
    endpoint_id: Id, user: CurrentUser, session: SessionDep, write: VersionedWrite
) -> EndpointOut:
    """A new secret for the next attempts on; the old one stops working at once."""
    endpoint = service.rotate_secret(
        session=session, actor=user, endpoint_id=endpoint_id, expected_version=write.expected
    )
    return write.answer(endpoint.version, EndpointOut.of(endpoint))


@router.get("/endpoints/{endpoint_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(endpoint_id: Id, user: CurrentUser, session: SessionDep) -> list[DeliveryOut]:
    """The latest 50 deliveries, newest first, each with its attempts."""
    log = service.delivery_log(session=session, actor=user, endpoint_id=endpoint_id)
    return [DeliveryOut.of(entry.delivery, entry.attempts) for entry in log]


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={409: {"description": "The delivery is still queued"}},
)
def redeliver(delivery_id: Id, user: CurrentUser, session: SessionDep) -> DeliveryOut:
    """Queue the delivery again: the same body and ``webhook-id``, new retries."""
    entry = service.redeliver(session=session, actor=user, delivery_id=delivery_id)
    return DeliveryOut.of(entry.delivery, entry.attempts)
