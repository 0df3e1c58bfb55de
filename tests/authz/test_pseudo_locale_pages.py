"""Every page of the authorization matrix, rendered in the pseudo-locale.

The matrix already knows how to reach each page (its rule and the rule
module's ``prepare``); here each is shown to an actor who may see it, with the
``en_XA`` cookie, and any visible text that is still plain ASCII fails the
test (``tests/fixtures/pseudo_locale.py``). What the test's own setup wrote
into the database (names, addresses, cohort names, subjects) and the rubrics'
texts are data, not UI text, and are cut out first.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.dates import get_month_names
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import i18n
from app.rubrics.schemas import Rubric
from tests.authz.matrix import Actor, Rule, World, send
from tests.authz.page_rules import page_rules
from tests.authz.test_matrix import _context
from tests.core.test_pseudo_locale import PENDING
from tests.fixtures.factories import BrowserSession
from tests.fixtures.pseudo_locale import PSEUDO, database_strings, strings_of, untranslated

PAGE_RULES = page_rules()
REPORT_PAGE = "/api/v1/assessments/{assessment_id}/report.html"


def _data(session: Session, world: World, ctx: dict[str, Any], *rubrics: Rubric) -> set[str]:
    months = {
        name
        for width in ("abbreviated", "wide")
        for name in get_month_names(width, locale="en").values()
    }
    languages = {i18n.language_name(code) for code in i18n.available_locales()}
    values = {str(v) for v in ctx.values() if isinstance(v, str)}
    people = {u.display_name for u in world.users.values()}
    # Times print "5:54 AM" in English formats (the pseudo-locale formats as English).
    return {
        *strings_of(rubrics),
        *database_strings(session),
        *months,
        *languages,
        *values,
        *people,
        "Stepwise",
        "AM",
        "PM",
    }


@pytest.mark.parametrize(
    ("module", "rule", "viewer"),
    [pytest.param(m, r, a, id=f"{r.id} as {a}") for m, r, a in PAGE_RULES],
)
def test_the_page_shows_only_translated_text(
    module: ModuleType,
    rule: Rule,
    viewer: Actor,
    pseudo_locales: Path,
    world: World,
    session: Session,
    client: TestClient,
    browser_session: Any,
    mini: Rubric,
    po_rubric: Rubric,
) -> None:
    """Every page, or for a page in ``PENDING``: still English (else it leaves the list)."""
    cookies = {i18n.LOCALE_COOKIE: PSEUDO}
    if viewer is not Actor.anonymous:
        browser: BrowserSession = browser_session(world.user(viewer))
        name, _, secret = browser.cookie_header["Cookie"].partition("=")
        cookies[name] = secret
    ctx = _context(module, world, session)
    if rule.path == REPORT_PAGE:
        # The report speaks its participant's saved language, not the viewer's cookie.
        for user in world.users.values():
            user.locale = PSEUDO
            session.add(user)
        session.flush()
    response = send(client, rule, ctx, cookies=cookies)
    assert response.status_code == 200, (rule.id, viewer, response.status_code)
    left = untranslated(response.text, _data(session, world, ctx, mini, po_rubric))
    if rule.path in PENDING:
        assert left, f"{rule.path} is translated now: remove it from PENDING"
    else:
        assert not left, f"{rule.id} as {viewer}: text that skipped the catalog: {left}"
