"""Security headers on every response (the API docs too: one strict CSP); static caching."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.accounts.models import User
from app.core.config import Settings
from app.core.security_headers import STRICT_CSP
from app.main import create_app


def _assert_secure(response: object, csp: str = STRICT_CSP) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # plain http


@pytest.mark.parametrize(
    "path", ["/healthz", "/login", "/api/v1/me", "/admin", "/nope", "/api/v1/users/1"]
)
def test_every_response_has_the_headers(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    _assert_secure(response)


def test_the_strict_policy_allows_no_inline_code_and_no_framing() -> None:
    directives = dict(d.strip().split(" ", 1) for d in STRICT_CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in STRICT_CSP


def test_error_pages_and_authenticated_pages_have_them(
    client: TestClient, admin: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    _assert_secure(client.get("/admin", headers=auth_headers(admin)))
    _assert_secure(client.get("/admin/nope", headers={"accept": "text/html"}))


def test_docs_get_the_strict_policy_too(client: TestClient) -> None:
    for path in ("/docs", "/openapi.json", "/docs-assets/redoc.standalone.js"):
        _assert_secure(client.get(path))


def test_redoc_adds_only_a_fresh_style_nonce(client: TestClient) -> None:
    first, second = client.get("/redoc"), client.get("/redoc")
    policies = [r.headers["content-security-policy"] for r in (first, second)]
    assert policies[0] != policies[1]  # a new nonce per response
    for response, policy in zip((first, second), policies, strict=True):
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        strict = dict(d.strip().split(" ", 1) for d in STRICT_CSP.split(";"))
        assert {k: v for k, v in directives.items() if k != "style-src"} == {
            k: v for k, v in strict.items() if k != "style-src"
        }
        assert directives["style-src"].startswith("'self' 'nonce-")
        assert "unsafe" not in policy
        nonce = directives["style-src"].split("'nonce-")[1].split("'")[0]
        assert f'data-style-nonce="{nonce}"' in response.text


def test_personal_responses_are_not_cached(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    response = client.get("/api/v1/me", headers=auth_headers(participant))
    assert response.headers["cache-control"] == "no-store"


def test_static_files_are_cached_for_long(client: TestClient) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/css")
    _assert_secure(response)
    assert client.get("/static/js/app.js").status_code == 200
    assert client.get("/static/nope.css").status_code == 404


def test_pages_link_versioned_static_files(client: TestClient) -> None:
    page = client.get("/login").text
    assert '<link rel="stylesheet" href="/static/css/app.css?v=' in page
    assert '<script src="/static/js/app.js?v=' in page


def test_hsts_only_over_https() -> None:
    app = create_app(Settings(https=True))
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/healthz")
    assert response.headers["strict-transport-security"] == "max-age=63072000"
