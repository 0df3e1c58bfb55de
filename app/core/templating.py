"""The one Jinja2 environment: autoescaping always on, for pages and reports alike.

Its ``_()`` and ``ngettext()`` translate into the page's locale (app/core/i18n.py).
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from fastapi.templating import Jinja2Templates

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
    )
    env.globals.update(PAGE_GLOBALS)  # csrf_input(), csrf_meta(), current_user(), static_url()
    i18n.install(env)  # _(), ngettext(), html_lang(), language_choices(), |format_date ...
    return env


@lru_cache
def get_templates() -> Jinja2Templates:
    return Jinja2Templates(env=get_environment())
