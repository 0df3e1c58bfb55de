"""Template globals every page can use, read from the current request.

* ``csrf_input()`` — the hidden ``<input name="csrf_token">`` every POST form
  needs (the signed-in session's token, or the pre-session one on the login
  and invitation pages; empty when there is none);
* ``csrf_meta()`` — ``<meta name="csrf-token" content="…">`` (``base.html``
  renders it; ``app.js`` reads it for ``fetch``);
* ``current_user()`` — the signed-in ``User`` or ``None``;
* ``static_url(path)`` — ``/static/<path>?v=<version>``: the version changes
  when the file does, so static files can be cached for a year.

The names avoid ``csrf_token``, which pages may pass as a plain context value.
They read ``request.state`` (filled by the authentication dependency in
``app.accounts.deps``), so a route only has to render its template with the request.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from app.core.config import get_settings
from app.core.csrf_names import FORM_FIELD, META_NAME


def _state(context: jinja2.runtime.Context, name: str) -> Any:
    request = context.get("request")
    return getattr(request.state, name, None) if request is not None else None


def _token(context: jinja2.runtime.Context) -> Markup:
    # Our own random token, escaped: no user text is ever marked safe here.
    return escape(_state(context, "csrf_token") or "")


@jinja2.pass_context
def csrf_input(context: jinja2.runtime.Context) -> Markup:
    return Markup(f'<input type="hidden" name="{FORM_FIELD}" value="{_token(context)}">')  # noqa: S704


@jinja2.pass_context
def csrf_meta(context: jinja2.runtime.Context) -> Markup:
    return Markup(f'<meta name="{META_NAME}" content="{_token(context)}">')  # noqa: S704


@jinja2.pass_context
def current_user(context: jinja2.runtime.Context) -> Any:
    return _state(context, "user")


def static_url(path: str) -> str:
    file = get_settings().static_dir / path
    try:
        stat = Path(file).stat()
    except OSError:
        return f"/static/{path}"
    version = hashlib.sha256(f"{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:12]
    return f"/static/{path}?v={version}"


PAGE_GLOBALS: dict[str, Any] = {
    "csrf_input": csrf_input,
    "csrf_meta": csrf_meta,
    "current_user": current_user,
    "static_url": static_url,
}
