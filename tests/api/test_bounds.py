"""Out-of-range integers at every boundary answer a located 422, never a 500.

Ids are ``1 .. 2^31 - 1`` (PostgreSQL ``INTEGER``), versions too; past that a
path, query, header, body or form value is refused where it enters
(``app.core.types``). Every operation of the OpenAPI with an id parameter is
tried with 2^31, 2^63 and a 5,000-digit number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.accounts.models import User
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.types import MAX_ID, IdConvertor, parse_bounded_int
from app.main import create_app
from tests.fixtures.factories import BrowserSession

HUGE = ["2147483648", "9223372036854775808", "9" * 5000]


def _id_operations() -> list[tuple[str, str, str]]:
    """(method, path template, the id parameter) for every operation taking an integer id."""
    found = []
    for path, item in create_app().openapi()["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if schema.get("type") == "integer" and param["name"].endswith("_id"):
                    found.append((method.upper(), path, param["name"]))
    return found


ID_OPERATIONS = _id_operations()


def test_every_id_parameter_is_bounded_in_the_schema() -> None:
    assert len(ID_OPERATIONS) >= 24
    for path, item in create_app().openapi()["paths"].items():
        for operation in item.values():
            for param in operation.get("parameters", []):
                schema = param["schema"]
                if schema.get("type") == "integer" and param["name"].endswith("_id"):
                    assert schema.get("maximum") == MAX_ID, (path, param["name"])
                    assert schema.get("minimum") == 1, (path, param["name"])


@pytest.mark.parametrize(("method", "path", "name"), ID_OPERATIONS)
@pytest.mark.parametrize("value", HUGE, ids=["2^31", "2^63", "5000-digits"])
def test_an_id_out_of_range_is_a_located_422(
    client: TestClient,
    admin: User,
    auth_headers: Callable[[User], dict[str, str]],
    method: str,
    path: str,
    name: str,
    value: str,
) -> None:
    params: dict[str, str] = {}
    url = path
    for part in (
        "assessment_id",
        "review_id",
        "action_id",
        "link_id",
        "participant_id",
        "user_id",
        "coach_id",
        "endpoint_id",
        "delivery_id",
    ):
        if "{" + part + "}" in url:
            url = url.replace("{" + part + "}", value if part == name else "1")
    if "{" + name + "}" not in path:
        params = {"coach_id": "1", "participant_id": "1", name: value}
    kwargs: dict[str, Any] = {"params": params, "headers": auth_headers(admin)}
    if method in ("POST", "PATCH", "PUT"):
        # Submit, finalize, rotate, close, resend and cancel name the version they are
        # based on, or get 428 first.
        versioned = path.endswith(
            ("/submit", "/finalize", "/rotate-secret", "/close", "/resend", "/cancel", "/upgrade")
        )
        kwargs["json"] = {"version": 1} if versioned else {}
    response = client.request(method, url, **kwargs)
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    locs = [e["loc"] for e in response.json()["errors"]]
    assert [p for p in locs if p[-1] == name], locs
    assert value not in response.text


@pytest.fixture
def assessment(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/assessments", json={"rubric_id": "mini"}, headers=auth_headers(participant)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "header", ["99999999999999999999", '"99999999999999999999"', "9" * 5000, "2147483648"]
)
def test_an_if_match_out_of_range_is_a_located_422(
    client: TestClient,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
    assessment: dict[str, Any],
    header: str,
) -> None:
    response = client.patch(
        f"/api/v1/assessments/{assessment['id']}/responses",
        json={"responses": {}},
        headers={**auth_headers(participant), "If-Match": header},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["header", "If-Match"]


def test_a_body_version_out_of_range_is_a_located_422(
    client: TestClient,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
    assessment: dict[str, Any],
) -> None:
    response = client.patch(
        f"/api/v1/assessments/{assessment['id']}/responses",
        json={"responses": {}, "version": 99999999999999999999},
        headers=auth_headers(participant),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "version"]


@pytest.mark.parametrize("value", HUGE)
def test_pages_refuse_an_id_out_of_range(
    client: TestClient,
    participant: User,
    browser_session: Callable[[User], BrowserSession],
    value: str,
) -> None:
    headers = {**browser_session(participant).cookie_header, "accept": "text/html"}
    for url in (
        f"/assessments/{value}",
        f"/assessments/{value}/results",
        f"/coaching/reviews/{value}",
        f"/assessments/compare?a={value}&b=1",
    ):
        response = client.get(url, headers=headers, follow_redirects=False)
        assert response.status_code == 422, (url, response.status_code)
        assert response.headers["content-type"].startswith("text/html")
        assert value not in response.text


def test_a_5000_digit_go_button_stays_on_the_section(
    client: TestClient,
    participant: User,
    browser_session: Callable[[User], BrowserSession],
    assessment: dict[str, Any],
) -> None:
    browser = browser_session(participant)
    response = client.post(
        f"/assessments/{assessment['id']}",
        data={"section": "1", "version": str(assessment["version"]), "go": "9" * 5000},
        headers={**browser.cookie_header, **browser.csrf_headers, "accept": "text/html"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"] == f"/assessments/{assessment['id']}?section=1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("007", 7),
        ("2147483647", MAX_ID),
        ("2147483648", None),
        ("9" * 5000, None),
        ("0" * 5000 + "5", 5),
        ("", None),
        ("-1", None),
        ("+1", None),
        ("1_0", None),
        ("\u0663", None),
        (" 1", None),
    ],
)
def test_parse_bounded_int(text: str, expected: int | None) -> None:
    assert parse_bounded_int(text, lo=1, hi=MAX_ID) == expected


def test_the_id_convertor_never_converts_thousands_of_digits() -> None:
    convertor = IdConvertor()
    assert convertor.convert("42") == 42
    assert convertor.convert("9" * 100_000) == MAX_ID + 1
    assert convertor.convert("0" * 100 + "3") == 3
