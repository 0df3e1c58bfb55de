"""The API docs render in a real browser, offline, under the strict CSP.

``console_watch`` fails the test on any console error -- a CSP violation is
one -- and on any failed request, so a blocked script or style, or an asset
fetched from elsewhere (the machine may be offline), fails here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser


def _offline(page: Page, base: str) -> list[str]:
    """Refuse every request that does not go to our server; return what was refused."""
    refused: list[str] = []

    def handle(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return refused


def test_swagger_ui_lists_the_operations(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    refused = _offline(page, live_server.url("/"))
    page.goto(live_server.url("/docs"))
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() > 30
    assert page.get_by_text("/api/v1/score").first.is_visible()
    assert refused == []


def test_redoc_renders_the_reference(page: Page, live_server, console_watch) -> None:  # type: ignore[no-untyped-def]
    # ReDoc's footer logo is an image on its makers' CDN: the CSP blocks it, as it should.
    console_watch.allow(r"cdn\.redoc\.ly/redoc/logo-mini\.svg")
    refused = _offline(page, live_server.url("/"))
    page.goto(live_server.url("/redoc"))
    page.get_by_text("Problem").first.wait_for(timeout=20_000)
    assert page.locator("h1, h2").count() > 5
    assert refused == []
