"""``Stepwise.fetch`` and ``Stepwise.renewCsrfToken`` (static/js/app.js) in a real browser.

Every script makes its requests through these two, so their contract is
tested once here: the parsed body of a 2xx answer, a ``Stepwise.RequestError``
(status, problem fields, message) for anything else, the CSRF header on
unsafe methods, and a token renewed from ``GET /api/v1/auth/csrf``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ConsoleWatch

pytestmark = pytest.mark.browser

PARTICIPANT = "pat@example.com"
SignIn = Callable[..., None]

#: Runs ``Stepwise.fetch(url, options)`` and reports how it settled, as plain data.
SETTLE = """([url, options]) => Stepwise.fetch(url, options).then(
  body => ({ok: true, body}),
  error => ({ok: false, isRequestError: error instanceof Stepwise.RequestError,
             isError: error instanceof Error, status: error.status, body: error.body,
             problem: error.problem, message: error.message}))"""


def settle(page: Page, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(SETTLE, [url, options or {}])
    return result


def test_answers_and_typed_errors(page: Page, sign_in: SignIn, console_watch: ConsoleWatch) -> None:
    console_watch.allow(r"status of (404|422)")
    console_watch.allow(r"net::ERR_FAILED|/api/v1/unreachable")
    sign_in(page, PARTICIPANT)
    page.goto("/assessments")

    me = settle(page, "/api/v1/me")
    assert me == {"ok": True, "body": me["body"]} and me["body"]["email"] == PARTICIPANT

    missing = settle(page, "/api/v1/assessments/999999999")
    assert missing["ok"] is False and missing["isRequestError"] and missing["isError"]
    assert missing["status"] == 404 and missing["problem"]["status"] == 404
    assert missing["message"] == missing["body"]["detail"] != ""

    # A JSON POST (the CSRF header is what lets the cookie-authenticated request through)
    # with bad answers: 422 with located errors in the problem fields.
    invalid = settle(
        page,
        "/api/v1/score",
        {"method": "POST", "json": {"rubric_id": "mini", "responses": {"no-such-item": 9}}},
    )
    assert invalid["status"] == 422, invalid
    errors = invalid["problem"]["errors"]
    assert errors and all("loc" in e and "msg" in e for e in errors)

    page.route("**/api/v1/unreachable", lambda route: route.abort())
    offline = settle(page, "/api/v1/unreachable")
    assert offline["isRequestError"] and offline["status"] == 0 and offline["body"] is None
    assert offline["message"]


def test_a_stale_csrf_token_is_renewed_from_the_server(
    page: Page, sign_in: SignIn, console_watch: ConsoleWatch
) -> None:
    console_watch.allow(r"status of 403")
    sign_in(page, PARTICIPANT)
    page.goto("/assessments")
    score = {"method": "POST", "json": {"rubric_id": "mini", "responses": {}}}
    assert settle(page, "/api/v1/score", score)["ok"] is True

    good = page.evaluate("() => Stepwise.csrfToken()")
    page.evaluate(
        """() => { document.querySelector('meta[name="csrf-token"]').content = 'stale';
                   document.querySelectorAll("input[name='csrf_token']")
                     .forEach(i => { i.value = 'stale'; }); }"""
    )
    assert settle(page, "/api/v1/score", score)["status"] == 403

    renewed = page.evaluate("() => Stepwise.renewCsrfToken()")
    assert renewed == good
    assert page.evaluate("() => Stepwise.csrfToken()") == good
    fields = page.evaluate(
        "() => [...document.querySelectorAll(\"input[name='csrf_token']\")].map(i => i.value)"
    )
    assert fields and set(fields) == {good}  # the no-JS forms post the new token too
    assert settle(page, "/api/v1/score", score)["ok"] is True
