"""The restricted URL fetcher: bundled assets only, everything else refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.reports.fetcher import AssetRefused, RestrictedFetcher, assets_base_url
from app.reports.render import ASSETS_DIR, render_pdf


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    root = tmp_path / "static"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "report.css").write_text("p { color: black }")
    (root / "secret.py").write_text("SECRET = 1")
    (root / "reports" / "escape.css").symlink_to("/etc/passwd")
    (root / "reports" / "inside.css").symlink_to(root / "reports" / "report.css")
    (tmp_path / "outside.css").write_text("p { color: red }")
    return root


def test_serves_a_bundled_asset(assets: Path) -> None:
    fetcher = RestrictedFetcher(assets)
    response = fetcher.fetch((assets / "reports" / "report.css").as_uri())
    assert response.read() == b"p { color: black }"
    assert response.content_type == "text/css"
    # A symlink that stays inside the assets is fine.
    assert fetcher.fetch((assets / "reports" / "inside.css").as_uri()).read().startswith(b"p {")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/api/v1/users",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
        "data:text/css,p{color:red}",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "file://otherhost/etc/passwd",
    ],
)
def test_refuses_anything_but_local_assets(assets: Path, url: str) -> None:
    fetcher = RestrictedFetcher(assets)
    with pytest.raises(AssetRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.fetched == []


def test_refuses_traversal_symlinks_out_and_non_assets(assets: Path) -> None:
    fetcher = RestrictedFetcher(assets)
    base = assets_base_url(assets)
    for url in (
        base + "reports/../../outside.css",
        base + "reports/%2e%2e/%2e%2e/outside.css",
        base + "reports/escape.css",  # a symlink to /etc/passwd
        base + "secret.py",  # inside, but not an asset type
        base + "reports/missing.css",
    ):
        with pytest.raises(AssetRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_a_rendered_document_cannot_reach_files_or_the_network() -> None:
    """Even raw markup (which templates never produce from user text) fetches nothing."""
    fetcher = RestrictedFetcher(ASSETS_DIR)
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<link rel="stylesheet" href="../../../../etc/passwd">'
        '<p>Hello</p><img src="file:///etc/passwd" alt="x">'
        '<svg width="10" height="10">'
        '<image href="file:///etc/hostname" width="10" height="10"/></svg>'
    )
    pdf = render_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.fetched == []
    assert "http://127.0.0.1:9/evil.css" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert len(fetcher.refused) >= 3
    assert b"root:" not in pdf
