"""The interactive API docs (``/docs``, ``/redoc``), served by the app itself.

FastAPI's stock pages load Swagger UI and ReDoc from a CDN and start them
with an inline script, which needs the internet and a relaxed
Content-Security-Policy. Here the assets come from the ``fastapi-offline``
package (Swagger UI's ``swagger-ui-bundle.js``/``swagger-ui.css``, Apache-2.0,
and ReDoc's ``redoc.standalone.js``, MIT; their license headers are inside
the files), mounted at ``/docs-assets``, and the start-up scripts are our own
static files (``app/static/docs/``), so both pages work offline under the
strict policy: no inline script, no CDN. ``/redoc`` alone adds a per-response
style nonce (:func:`redoc_policy`), since ReDoc inserts its styles at run time.

The bearer scheme is OAuth2's password flow, which needs no redirect page,
so FastAPI's ``/docs/oauth2-redirect`` (an inline script) is not served.
"""

from __future__ import annotations

import secrets
from importlib.metadata import version
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from app.core.page_globals import static_url
from app.core.security_headers import STRICT_CSP
from app.core.static import CachedStaticFiles

ASSETS_URL = "/docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
_ASSETS_VERSION = version("fastapi-offline")


#: The two ``<style>`` texts ReDoc's bundled style loader inserts without the
#: nonce: an empty one and its scrollbar styles (fastapi-offline 1.7.7).
REDOC_STYLE_HASHES = (
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    "sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc=",
)


def _asset(name: str) -> str:
    # The package's version in the URL: a new release is a new URL, so the
    # year-long cache of CachedStaticFiles is safe.
    return f"{ASSETS_URL}/{name}?v={_ASSETS_VERSION}"


def _docs_page(*, title: str, stylesheet: str, scripts: tuple[str, ...], root: str) -> str:
    """The page both viewers share: one stylesheet, deferred scripts, one root element."""
    script_tags = "".join(f'<script src="{src}" defer></script>\n' for src in scripts)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{stylesheet}">
{script_tags}</head>
<body>
{root}
</body>
</html>
"""


def swagger_page(*, title: str, openapi_url: str) -> str:
    return _docs_page(
        title=f"{title} - API docs",
        stylesheet=_asset("swagger-ui.css"),
        scripts=(_asset("swagger-ui-bundle.js"), static_url("docs/swagger-init.js")),
        root=f'<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>',
    )


def redoc_page(*, title: str, openapi_url: str, nonce: str) -> str:
    return _docs_page(
        title=f"{title} - API reference",
        stylesheet=static_url("docs/redoc.css"),
        scripts=(_asset("redoc.standalone.js"), static_url("docs/redoc-init.js")),
        root=f'<div id="redoc" data-openapi-url="{openapi_url}" data-style-nonce="{nonce}"></div>',
    )


def redoc_policy(nonce: str) -> str:
    """The strict policy, plus the style elements ReDoc inserts carrying this response's nonce.

    ReDoc styles itself with styled-components, which inserts ``<style>``
    elements at run time; under ``style-src 'self'`` they are blocked and
    ReDoc stops. A fresh nonce per response admits exactly those (ReDoc's
    ``nonce`` option), and nothing else: no ``'unsafe-inline'``, scripts stay
    ``'self'`` only. Two more ``<style>`` elements come from a bundled loader
    that ignores the option; they are admitted by the hash of their exact
    text (:data:`REDOC_STYLE_HASHES`; the browser test fails if a new ReDoc
    build changes them). Search is off (it needs a ``blob:`` worker), and
    the "by Redocly" logo, an image on their CDN, is simply blocked.
    """
    hashes = " ".join(f"'{h}'" for h in REDOC_STYLE_HASHES)
    return STRICT_CSP.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}' {hashes}")


def install_api_docs(app: FastAPI) -> None:
    """Mount the assets and the two pages (the app must be built with ``docs_url=None``)."""
    assert app.docs_url is None and app.redoc_url is None, "disable FastAPI's CDN pages first"
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, CachedStaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger_page(title=app.title, openapi_url=openapi_url))

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        nonce = secrets.token_urlsafe(18)
        return HTMLResponse(
            redoc_page(title=app.title, openapi_url=openapi_url, nonce=nonce),
            headers={"Content-Security-Policy": redoc_policy(nonce)},
        )
