"""The main pages pass axe-core's WCAG 2.1 AA rules at desktop and phone widths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible, axe_violations
from tests.browser.conftest import DESKTOP, PHONE, LiveServer

pytestmark = pytest.mark.browser

PAGES = {
    "pat@example.com": ["/", "/assessments"],
    "coach@example.com": ["/coaching"],
    "admin@example.com": ["/admin", "/admin/jobs", "/admin/mail"],
}


def test_the_check_catches_a_violation(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url("/login"))
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    assert any(v["id"] == "label" for v in axe_violations(page))


def test_the_login_page(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url("/login"))
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("email", sorted(PAGES))
def test_signed_in_pages(
    new_context: Callable[..., Any],
    sign_in: Callable[..., None],
    live_server: LiveServer,
    email: str,
    viewport: dict[str, int],
) -> None:
    page = new_context(viewport=viewport).new_page()
    sign_in(page, email)
    for path in PAGES[email]:
        page.goto(live_server.url(path))
        assert_accessible(page)
