"""WCAG 2.1 AA checks of a rendered page, by axe-core (bundled by axe-playwright-python).

``assert_accessible(page)`` runs axe's WCAG 2.0/2.1 A and AA rules against the
page as it is now (run it after the page has settled, at each width a test
covers) and fails listing each violation: rule, impact, and the first few
offending elements. Colour contrast, labels, landmarks, ARIA use and focusable
names are all in those rules; focus *order* is not, so tests that care walk
the page with Tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on ``page``, skipping the ``exclude`` selectors."""
    from axe_playwright_python.sync_playwright import Axe

    context: dict[str, Any] | None = {"exclude": [[s] for s in exclude]} if exclude else None
    results = Axe().run(
        page,
        context=context,
        options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]},
    )
    return list(results.response.get("violations", []))


def assert_accessible(page: Page, *, exclude: list[str] | None = None) -> None:
    violations = axe_violations(page, exclude=exclude)
    if violations:
        lines = []
        for v in violations:
            targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
            lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} — {targets}")
        summary = f"{page.url}: {len(violations)} WCAG violation(s):"
        raise AssertionError("\n".join([summary, *lines]))
