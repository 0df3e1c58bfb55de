"""The admin pages: register, edit (versioned), rotate, the delivery log, redeliver, delete."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.core import events
from app.webhooks import service
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookEndpoint
from tests.fixtures.web import Browser

URL = "http://127.0.0.1:9/page-hooks"


@pytest.fixture
def browser(browser_for: Callable[[User], Browser], admin: User) -> Browser:
    return browser_for(admin)


def endpoint_id_of(location: str) -> int:
    found = re.fullmatch(r"/admin/webhooks/(\d+)\?done=created", location)
    assert found, location
    return int(found.group(1))


def register(browser: Browser) -> int:
    response = browser.post(
        "/admin/webhooks",
        [("url", URL), ("description", "CRM"), ("events", "review.finalized"), ("is_active", "1")],
    )
    assert response.status_code == 303
    return endpoint_id_of(response.headers["location"])


def test_the_admin_nav_links_the_webhooks_page(browser: Browser) -> None:
    page = browser.get("/admin")
    assert 'href="/admin/webhooks"' in page.text
    listing = browser.get("/admin/webhooks")
    assert listing.status_code == 200 and "No endpoints yet." in listing.text


def test_register_then_see_the_secret(browser: Browser, session: Session) -> None:
    endpoint_id = register(browser)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    assert endpoint is not None and endpoint.events == ["review.finalized"]
    page = browser.get(f"/admin/webhooks/{endpoint_id}?done=created")
    assert "Endpoint registered." in page.text
    assert endpoint.secret in page.text
    assert URL in browser.get("/admin/webhooks").text


def test_a_bad_url_is_shown_at_the_field_and_the_form_is_kept(browser: Browser) -> None:
    response = browser.post(
        "/admin/webhooks",
        [("url", "ftp://files.example.test/x"), ("description", "Kept"), ("events", "x")],
    )
    assert response.status_code == 422
    assert 'id="url-error"' in response.text and "must start with https://" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Kept"' in response.text


def test_no_events_is_an_error_at_the_events(browser: Browser) -> None:
    response = browser.post("/admin/webhooks", [("url", URL)])
    assert response.status_code == 422 and 'id="events-error"' in response.text


def test_a_stale_save_is_409_and_keeps_what_was_typed(browser: Browser, session: Session) -> None:
    endpoint_id = register(browser)
    page = f"/admin/webhooks/{endpoint_id}"
    first = browser.post(page, [("url", URL), ("events", "review.finalized"), ("version", "1")])
    assert first.status_code == 303 and first.headers["location"] == f"{page}?done=saved"
    stale = browser.post(
        page,
        [("url", URL), ("description", "Typed late"), ("events", "review.finalized"),
         ("version", "1")],
    )  # fmt: skip
    assert stale.status_code == 409
    assert "is stale" in stale.text and 'value="Typed late"' in stale.text
    assert 'name="version" value="2"' in stale.text
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    assert endpoint is not None and endpoint.is_active is False  # the first save unticked it


def test_rotate_the_secret(browser: Browser, session: Session) -> None:
    endpoint_id = register(browser)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    assert endpoint is not None
    old = endpoint.secret
    done = browser.post(f"/admin/webhooks/{endpoint_id}/rotate-secret", {"version": "1"})
    assert done.status_code == 303
    session.refresh(endpoint)
    assert endpoint.secret != old and endpoint.version == 2
    page = browser.get(done.headers["location"])
    assert endpoint.secret in page.text and old not in page.text


def test_the_log_shows_attempts_and_redelivers(
    browser: Browser, session: Session, admin: User
) -> None:
    endpoint_id = register(browser)
    event = events.Event(name=events.REVIEW_FINALIZED, data={"review_id": 7})
    (delivery,) = service.queue_deliveries(session=session, event=event)
    assert delivery.id is not None
    session.add(WebhookAttempt(delivery_id=delivery.id, status_code=502, error="HTTP 502"))
    delivery.status = DeliveryStatus.failed.value
    session.add(delivery)
    session.commit()
    page = browser.get(f"/admin/webhooks/{endpoint_id}")
    assert delivery.message_id in page.text and "HTTP 502" in page.text
    action = f"/admin/webhooks/deliveries/{delivery.id}/redeliver"
    assert action in page.text
    done = browser.post(action, {})
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/webhooks/{endpoint_id}?done=redelivered"
    session.refresh(delivery)
    assert delivery.status == DeliveryStatus.pending
    assert browser.post(action, {}).status_code == 409  # still queued


def test_delete(browser: Browser, session: Session) -> None:
    endpoint_id = register(browser)
    done = browser.post(f"/admin/webhooks/{endpoint_id}/delete", {})
    assert done.status_code == 303 and done.headers["location"] == "/admin/webhooks?done=deleted"
    session.expire_all()
    assert session.get(WebhookEndpoint, endpoint_id) is None


def test_a_post_without_the_csrf_token_is_refused(browser: Browser) -> None:
    response = browser.post("/admin/webhooks", [("url", URL), ("events", "x")], csrf=False)
    assert response.status_code == 403
