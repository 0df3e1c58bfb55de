"""Admin pages of webhooks: the endpoints, one endpoint's form, secret and delivery log.

No JavaScript needed: plain forms, each CSRF-checked by the authentication
dependency; post/redirect/get with fixed ``?done=`` notices. Non-admins get
404 (router-wide guard and the service's policy check), anonymous browsers
the login page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser, admin_pages_router
from app.core.deps import SessionDep, SettingsDep
from app.core.events import EVENT_NAMES
from app.core.exceptions import Conflict, InvalidInput
from app.core.i18n import N_
from app.core.pages import done_flash, refused_form, render_page, see_other
from app.core.types import MAX_VERSION, Id, parse_bounded_int
from app.core.versioning import VersionConflict, expected_version
from app.webhooks import service
from app.webhooks.fields import EndpointFields
from app.webhooks.models import MAX_DESCRIPTION_LENGTH, MAX_ENDPOINTS, MAX_URL_LENGTH

router = admin_pages_router("/admin/webhooks")

DONE_MESSAGES = {
    "created": N_("Endpoint registered. Give its signing secret to the receiver."),
    "saved": N_("Endpoint saved."),
    "rotated": N_("New signing secret: the old one no longer signs deliveries."),
    "deleted": N_("Endpoint deleted."),
    "redelivered": N_("Delivery queued again."),
}

EventsField = Annotated[list[str], Form()]
TextField = Annotated[str, Form()]


def _endpoint_form(  # the form as posted, kept on the page when refused
    url: TextField = "",
    description: TextField = "",
    events: EventsField = [],  # noqa: B006 - FastAPI copies defaults
    is_active: TextField = "",
) -> EndpointFields:
    return EndpointFields(
        url=url, description=description, events=events, is_active=bool(is_active)
    )


PostedEndpoint = Annotated[EndpointFields, Depends(_endpoint_form)]

NEW_FORM = EndpointFields(url="", events=list(EVENT_NAMES))


def _render(request: Request, template: str, status_code: int, **context: object) -> HTMLResponse:
    """A webhooks page: the form's limits and event names, no errors unless given."""
    page: dict[str, object] = {
        "errors": {},
        "error": None,
        "flash": None,
        "event_names": EVENT_NAMES,
        "limits": {
            "max_url": MAX_URL_LENGTH,
            "max_description": MAX_DESCRIPTION_LENGTH,
            "max_endpoints": MAX_ENDPOINTS,
        },
    }
    return render_page(request, template, status_code, **{**page, **context})


def _version(text: str) -> int:
    return expected_version(
        if_match=None, body_version=parse_bounded_int(text, lo=1, hi=MAX_VERSION)
    )


@router.get("", response_class=HTMLResponse)
def endpoints_page(
    request: Request, user: PageUser, session: SessionDep, done: str = ""
) -> Response:
    return _list_page(request, user, session, flash=done_flash(done, DONE_MESSAGES))


def _list_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    *,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    return _render(
        request,
        "webhooks/admin_webhooks.html",
        status_code,
        endpoints=service.list_endpoints(session=session, actor=user),
        **{"form": NEW_FORM, **context},
    )


@router.post("", response_class=HTMLResponse)
def create_endpoint(
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    form: PostedEndpoint,
) -> Response:
    try:
        endpoint = service.create_endpoint(
            session=session,
            actor=user,
            fields=form,
            allow_private=settings.webhooks_allow_private,
        )
    except (InvalidInput, Conflict) as exc:
        return _list_page(request, user, session, form=form, **refused_form(exc))
    return see_other(f"/admin/webhooks/{endpoint.id}?done=created")


@router.get("/{endpoint_id:id}", response_class=HTMLResponse)
def endpoint_page(
    endpoint_id: Id, request: Request, user: PageUser, session: SessionDep, done: str = ""
) -> Response:
    return _endpoint_page(
        request, user, session, endpoint_id, flash=done_flash(done, DONE_MESSAGES)
    )


def _endpoint_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    endpoint_id: int,
    *,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    endpoint = service.get_endpoint(session=session, actor=user, endpoint_id=endpoint_id)
    return _render(
        request,
        "webhooks/admin_endpoint.html",
        status_code,
        endpoint=endpoint,
        log=service.delivery_log(session=session, actor=user, endpoint_id=endpoint_id),
        **{"form": EndpointFields.of(endpoint), "version": endpoint.version, **context},
    )


@router.post("/{endpoint_id:id}", response_class=HTMLResponse)
def save_endpoint(
    endpoint_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    form: PostedEndpoint,
    version: TextField = "",
) -> Response:
    try:
        service.update_endpoint(
            session=session,
            actor=user,
            endpoint_id=endpoint_id,
            expected_version=_version(version),
            allow_private=settings.webhooks_allow_private,
            url=form.url,
            description=form.description,
            events=form.events,
            is_active=form.is_active,
        )
    except (VersionConflict, InvalidInput) as exc:
        # The submitted values stay on the form; a stale one is now based on the current version.
        current = exc.version if isinstance(exc, VersionConflict) else version
        return _endpoint_page(
            request, user, session, endpoint_id, form=form, version=current, **refused_form(exc)
        )
    return see_other(f"/admin/webhooks/{endpoint_id}?done=saved")


@router.post("/{endpoint_id:id}/rotate-secret", response_class=HTMLResponse)
def rotate_secret(
    endpoint_id: Id, request: Request, user: PageUser, session: SessionDep, version: TextField = ""
) -> Response:
    try:
        service.rotate_secret(
            session=session, actor=user, endpoint_id=endpoint_id, expected_version=_version(version)
        )
    except VersionConflict as exc:
        return _endpoint_page(
            request, user, session, endpoint_id, status_code=409, error=exc.detail
        )
    return see_other(f"/admin/webhooks/{endpoint_id}?done=rotated")


@router.post("/{endpoint_id:id}/delete")
def delete_endpoint(endpoint_id: Id, user: PageUser, session: SessionDep) -> Response:
    service.delete_endpoint(session=session, actor=user, endpoint_id=endpoint_id)
    return see_other("/admin/webhooks?done=deleted")


@router.post("/deliveries/{delivery_id:id}/redeliver", response_class=HTMLResponse)
def redeliver(delivery_id: Id, request: Request, user: PageUser, session: SessionDep) -> Response:
    try:
        entry = service.redeliver(session=session, actor=user, delivery_id=delivery_id)
    except Conflict as exc:
        endpoint_id = service.endpoint_of_delivery(
            session=session, actor=user, delivery_id=delivery_id
        )
        return _endpoint_page(
            request, user, session, endpoint_id, status_code=409, error=exc.detail
        )
    return see_other(f"/admin/webhooks/{entry.delivery.endpoint_id}?done=redelivered")
