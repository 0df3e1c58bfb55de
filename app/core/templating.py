"""The one Jinja2 environment: autoescaping always on, for pages and reports alike.

Its ``_()`` and ``ngettext()`` translate into the page's locale (app/core/i18n.py).
A page rendered through :func:`get_templates` has that locale in its context as
``locale``, so the ~500 ``_()`` of a results page read it there instead of asking
the request each time (pages never pass a ``locale`` of their own: e-mails and
reports, which do, render through :func:`get_environment` directly).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from app.core import i18n
from app.core.config import get_settings
from app.core.page_globals import PAGE_GLOBALS


@lru_cache
def get_environment() -> jinja2.Environment:
    settings = get_settings()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(settings.templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates are code shipped with the app: in production a compiled template is
        # not re-checked against its file (a stat per template and include per render).
        auto_reload=settings.environment != "production",
    )
    env.globals.update(PAGE_GLOBALS)  # csrf_input(), csrf_meta(), current_user(), static_url()
    i18n.install(env)  # _(), ngettext(), html_lang(), language_choices(), |format_date ...
    return env


def page_locale(request: Request) -> dict[str, Any]:
    """The page's context processor: its negotiated locale, for templates' ``_()``."""
    return {"locale": i18n.locale_of_request(request)}


@lru_cache
def get_templates() -> Jinja2Templates:
    return Jinja2Templates(env=get_environment(), context_processors=[page_locale])
