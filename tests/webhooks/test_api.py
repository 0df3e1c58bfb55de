"""The webhooks JSON API: registration, versioned saves, secret rotation, located errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.core.deps import get_session
from app.main import create_app
from app.webhooks import service
from app.webhooks.fields import EndpointFields
from app.webhooks.models import MAX_DESCRIPTION_LENGTH, MAX_ENDPOINTS, MAX_URL_LENGTH
from tests.fixtures.api import Api
from tests.fixtures.settings import changed_settings

URL = "http://127.0.0.1:9/hooks"
EVENTS = ["assessment.submitted", "review.finalized"]
BASE = "/api/v1/webhooks"


@pytest.fixture
def api(api_for: Callable[[User], Api], admin: User) -> Api:
    return api_for(admin)


def create(api: Api, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = api.ok(
        "POST", f"{BASE}/endpoints", 201, json={"url": URL, "events": EVENTS, **extra}
    )
    return body


def locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["errors"]]


def test_register_read_and_list(api: Api) -> None:
    created = create(api, description="CRM sync")
    assert created["secret"].startswith("whsec_") and len(created["secret"]) >= 6 + 32
    assert created["events"] == EVENTS and created["is_active"] is True
    assert created["version"] == 1
    got = api.call("GET", f"{BASE}/endpoints/{created['id']}")
    assert got.status_code == 200 and got.headers["ETag"] == '"1"'
    assert got.json() == created
    assert [e["id"] for e in api.ok("GET", f"{BASE}/endpoints")] == [created["id"]]


def test_a_save_names_its_version_and_a_stale_one_is_409(api: Api) -> None:
    endpoint = create(api)
    path = f"{BASE}/endpoints/{endpoint['id']}"
    saved = api.call(
        "PATCH", path, json={"events": ["plan_action.updated"]}, headers={"If-Match": '"1"'}
    )
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"'
    assert saved.json()["events"] == ["plan_action.updated"]
    stale = api.call("PATCH", path, json={"description": "late", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2 and stale.headers["ETag"] == '"2"'
    assert api.call("PATCH", path, json={"is_active": False}).status_code == 428
    assert api.ok("GET", path)["description"] == ""


def test_rotating_the_secret_changes_it_and_the_version(api: Api) -> None:
    endpoint = create(api)
    path = f"{BASE}/endpoints/{endpoint['id']}/rotate-secret"
    rotated = api.ok("POST", path, json={"version": 1})
    assert rotated["secret"] != endpoint["secret"] and rotated["secret"].startswith("whsec_")
    assert rotated["version"] == 2
    assert api.call("POST", path, json={"version": 1}).status_code == 409


def test_delete(api: Api) -> None:
    endpoint = create(api)
    path = f"{BASE}/endpoints/{endpoint['id']}"
    assert api.call("DELETE", path).status_code == 204
    assert api.call("GET", path).status_code == 404
    assert api.call("GET", f"{path}/deliveries").status_code == 404


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"url": "ftp://example.test/x"}, ["body", "url"]),
        ({"url": "https://user:pw@example.test/x"}, ["body", "url"]),
        ({"url": "not a url"}, ["body", "url"]),
        ({"url": "https://" + "a" * MAX_URL_LENGTH}, ["body", "url"]),
        ({"events": ["assessment.deleted"]}, ["body", "events", 0]),
        ({"events": []}, ["body", "events"]),
        ({"description": "d" * (MAX_DESCRIPTION_LENGTH + 1)}, ["body", "description"]),
        ({"secret": "whsec_mine"}, ["body", "secret"]),
    ],
)
def test_bad_input_is_a_located_422_without_the_value(
    api: Api, body: dict[str, Any], loc: list[Any]
) -> None:
    response = api.call("POST", f"{BASE}/endpoints", json={"url": URL, "events": EVENTS, **body})
    assert response.status_code == 422
    assert loc in locs(response)
    for value in body.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in response.text


def test_a_patch_is_checked_like_a_create(api: Api) -> None:
    endpoint = create(api)
    response = api.call(
        "PATCH", f"{BASE}/endpoints/{endpoint['id']}", json={"url": "gopher://x", "version": 1}
    )
    assert response.status_code == 422 and locs(response) == [["body", "url"]]


def test_the_number_of_endpoints_is_limited(api: Api, session: Session, admin: User) -> None:
    for _ in range(MAX_ENDPOINTS):
        service.create_endpoint(
            session=session,
            actor=admin,
            fields=EndpointFields(url=URL, events=EVENTS),
            allow_private=True,
        )
    session.commit()
    response = api.call("POST", f"{BASE}/endpoints", json={"url": URL, "events": EVENTS})
    assert response.status_code == 409 and str(MAX_ENDPOINTS) in response.json()["detail"]


@pytest.fixture
def strict_client(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An app with the default setting: private addresses refused."""
    with changed_settings(monkeypatch, STEPWISE_WEBHOOKS_ALLOW_PRIVATE="false"):
        app = create_app()

        def test_session() -> Iterator[Session]:
            yield session
            session.commit()

        app.dependency_overrides[get_session] = test_session
        with TestClient(app) as client:
            yield client


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://[::1]/hooks",
        "https://10.1.2.3/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:127.0.0.1]/hooks",
        "http://93.184.216.34/hooks",  # public, but plain http
    ],
)
def test_without_the_setting_non_public_urls_are_refused(
    strict_client: TestClient, auth_headers: Callable[[User], dict[str, str]], admin: User, url: str
) -> None:
    response = strict_client.post(
        f"{BASE}/endpoints", json={"url": url, "events": EVENTS}, headers=auth_headers(admin)
    )
    assert response.status_code == 422
    assert locs(response) == [["body", "url"]]
    assert url not in response.text


def test_without_the_setting_a_public_address_is_accepted(
    strict_client: TestClient, auth_headers: Callable[[User], dict[str, str]], admin: User
) -> None:
    response = strict_client.post(
        f"{BASE}/endpoints",
        json={"url": "https://93.184.216.34/hooks", "events": EVENTS},
        headers=auth_headers(admin),
    )
    assert response.status_code == 201, response.text
