"""HTML in, PDF bytes out, with WeasyPrint locked down to the bundled assets.

This module is what the render pool's worker processes import, so it stays
small: WeasyPrint and the restricted fetcher, no settings, no templates, no
database. The HTML comes from :mod:`app.reports.document`.

Output choices:

* ``pdf/ua-1`` (PDF/UA, tagged PDF): the reading order, headings, tables and
  figure alternatives are in the file, so screen readers can read the
  report. It also makes WeasyPrint write the ``/Lang`` from ``<html lang>``
  and the XMP metadata. The document's title, author, subject (description)
  and keywords come from the template's ``<title>`` and ``<meta>`` tags.
* Fonts are the bundled ones (``@font-face`` in the print stylesheet),
  embedded as subsets, never system fonts.
* A fixed ``pdf_identifier`` keeps the bytes a function of the HTML, so the
  same report renders to the same file.

One ``FontConfiguration`` is shared by the renders of a process. Without it,
WeasyPrint builds a new Fontconfig/Pango font map per document, which costs
time and leaks a little memory each render (about 0.5 MiB in
``bench/bench_reports.py``). Our documents all declare the same bundled
``@font-face`` rules, which WeasyPrint registers once per configuration. It is
derived data (the same in every process), not application state; renders in
one process take turns (:data:`_LOCK`), as Pango font maps are not meant to be
shared between threads.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import hashlib
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from app.reports.fetcher import RestrictedFetcher, assets_base_url

#: The bundled assets (print stylesheet, fonts): the only files a render may read.
ASSETS_DIR = Path(__file__).resolve().parents[1] / "static"
PDF_VARIANT = "pdf/ua-1"

_LOCK = threading.Lock()
_font_config: FontConfiguration | None = None


def _fonts() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
        atexit.register(_remove_font_files, _font_config)
    return _font_config


def _remove_font_files(config: FontConfiguration) -> None:
    """WeasyPrint copies @font-face files to a temporary folder; remove it at exit."""
    folder = getattr(config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def render_pdf(
    html: str,
    *,
    base_url: str | None = None,
    assets_dir: Path = ASSETS_DIR,
    fetcher: RestrictedFetcher | None = None,
) -> bytes:
    """Render an HTML document to PDF, loading nothing but files under ``assets_dir``.

    ``base_url`` (default: the assets directory) resolves the document's
    relative links; ``fetcher`` may be passed to inspect what was fetched or
    refused (the bundled fonts are fetched by the first render of a process
    only).
    """
    fetcher = fetcher or RestrictedFetcher(assets_dir)
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    with _LOCK:
        document = HTML(
            string=html,
            base_url=base_url or assets_base_url(assets_dir),
            url_fetcher=fetcher,
        )
        pdf = document.write_pdf(
            pdf_variant=PDF_VARIANT, pdf_identifier=identifier, font_config=_fonts()
        )
    assert isinstance(pdf, bytes)
    return pdf


def _find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` elsewhere (musl, macOS)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_malloc_trim = _find_malloc_trim()


def release_memory() -> None:
    """Hand the memory a render freed back to the operating system.

    A full report allocates tens of MiB of layout objects; once they are freed,
    glibc keeps the pages in the process's heap for reuse; trimming after each
    render keeps a worker 8-13 MiB lower (docs/benchmarks.md). Collecting
    cycles and trimming the heap costs a few milliseconds against seconds of
    rendering.
    """
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)
