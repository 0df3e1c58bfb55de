"""Rendering a message from ``templates/email/<kind>.txt`` and ``<kind>.html``.

The HTML part is rendered by the app's one Jinja2 environment (autoescape on,
so a name like ``<b>`` arrives as text). The plain-text part is not HTML, so
escaping it would corrupt it (``&`` in a link would become ``&amp;``): it has
its own environment with autoescape off, used for ``email/*.txt`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2

from app.core import i18n
from app.core.config import get_settings
from app.core.templating import get_environment

#: Longest piece of a person's text (a name, a title) put in a subject: a subject is one
#: header line, and a whole name or title belongs in the message, not its subject.
SUBJECT_TEXT_LIMIT = 80


def subject_text(text: str) -> str:
    """``text`` on one line, cut to :data:`SUBJECT_TEXT_LIMIT` characters with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= SUBJECT_TEXT_LIMIT:
        return line
    return line[: SUBJECT_TEXT_LIMIT - 1].rstrip() + "…"


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str


@lru_cache
def _text_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(get_settings().templates_dir),
        autoescape=False,  # noqa: S701
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    i18n.install(env)  # the same _() and date filters as the HTML part
    return env


def render_message(kind: str, context: dict[str, Any]) -> Rendered:
    """Both parts of a message; a missing template or variable raises (a bug, not input)."""
    text = _text_environment().get_template(f"email/{kind}.txt").render(**context)
    html = get_environment().get_template(f"email/{kind}.html").render(**context)
    return Rendered(text=text, html=html)
