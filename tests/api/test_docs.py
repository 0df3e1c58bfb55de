"""/docs and /redoc work offline: every asset from the app, no inline script, strict CSP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.core.security_headers import STRICT_CSP

_SOURCES = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize(("path", "marker"), [("/docs", "swagger-ui"), ("/redoc", "redoc")])
def test_the_docs_pages_load_only_our_own_assets(
    client: TestClient, path: str, marker: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200 and f'id="{marker}"' in page.text
    policy = page.headers["content-security-policy"]
    assert policy == STRICT_CSP if path == "/docs" else "unsafe" not in policy
    assert "<style" not in page.text and "style=" not in page.text
    for script in re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.S):
        assert script == "", "inline script"
    sources = _SOURCES.findall(page.text)
    assert sources
    for source in sources:
        assert source.startswith("/"), source  # no CDN
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 50, source


def test_the_oauth2_redirect_page_is_not_served(client: TestClient) -> None:
    # The password flow needs no redirect; FastAPI's page is an inline script.
    assert client.get("/docs/oauth2-redirect").status_code == 404
