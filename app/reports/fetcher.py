"""The only way WeasyPrint may read anything while rendering a report: the app's own assets.

A report is built from user text (names, notes). Autoescaping keeps that text
from becoming markup, and this fetcher is the second wall: even if markup got
through, WeasyPrint could not read ``file:///etc/passwd``, reach
``http://127.0.0.1:…`` or any other host, or follow a symlink out of the
assets. Allowed are exactly the ``file:`` URLs whose *real* path (symlinks and
``..`` resolved) lies inside the assets directory (``app/static``): the print
stylesheet, the bundled fonts and images.

``data:`` URLs are refused too. Nothing of ours needs them, and allowing them
would let injected markup carry arbitrary images or SVG into the renderer.

WeasyPrint catches a fetcher's exception, logs it and renders without the
resource, so a refused URL never aborts the report; the refusal is recorded
in :attr:`RestrictedFetcher.refused` so tests can see what was asked for.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

#: Types of the assets a report uses; anything else in the directory is refused.
ASSET_TYPES = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class AssetRefused(ValueError):
    """A URL outside the bundled assets was requested."""


class RestrictedFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files under ``assets_dir`` and refuses the rest."""

    def __init__(self, assets_dir: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.assets_dir = assets_dir.resolve(strict=True)
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        """The asset file a URL names, or :class:`AssetRefused`."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise AssetRefused(
                f"only bundled assets may be loaded, not {parts.scheme or '?'}: URLs"
            )
        if parts.netloc not in ("", "localhost"):
            raise AssetRefused("file: URLs naming a host are refused")
        path = Path(url2pathname(unquote(parts.path)))
        if not path.is_absolute():
            raise AssetRefused("relative file: URLs are refused")
        real = path.resolve()  # follows symlinks and removes ".." before the check
        if not real.is_relative_to(self.assets_dir):
            raise AssetRefused("file outside the bundled assets refused")
        if real.suffix.lower() not in ASSET_TYPES or not real.is_file():
            raise AssetRefused("not a bundled asset")
        return real

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except AssetRefused:
            self.refused.append(url)
            raise
        self.fetched.append(url)
        content_type = ASSET_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            path.as_uri(),
            path.read_bytes(),
            headers={"Content-Type": content_type or "application/octet-stream"},
        )


def assets_base_url(assets_dir: Path) -> str:
    """The ``base_url`` for a report: relative links in it resolve inside the assets."""
    return assets_dir.resolve().as_uri() + "/"
