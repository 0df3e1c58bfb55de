"""The HTML pages of the authorization matrix, each with an actor who gets to see it.

The pseudo-locale walk (``test_pseudo_locale_pages.py``) renders every one of
them; ``tests/core/test_pseudo_locale.py`` counts them as checked.
"""

from __future__ import annotations

from types import ModuleType

from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts

from app.main import create_app
from tests.authz.matrix import Actor, Rule
from tests.authz.test_matrix import RULES

#: Who looks at a page, in this order: the first who gets a 200 shows it.
VIEWERS = (Actor.admin, Actor.assigned_coach, Actor.owner, Actor.anonymous)


def html_page_routes() -> set[str]:
    """Every GET route of the app that answers with an HTML page."""
    return {
        context.path or ""
        for context in iter_route_contexts(create_app().routes)
        if "GET" in (context.methods or ())
        and getattr(context.original_route, "response_class", None) is HTMLResponse
    }


def page_rules() -> list[tuple[ModuleType, Rule, Actor]]:
    """One (rule module, rule, viewer) per GET rule of an HTML page that someone sees (200)."""
    pages = html_page_routes()
    found = []
    for module, rule in RULES:
        if rule.method != "GET" or rule.path not in pages:
            continue
        viewer = next((a for a in VIEWERS if rule.allowed(a) == frozenset({200})), None)
        if viewer is not None:
            found.append((module, rule, viewer))
    return found
