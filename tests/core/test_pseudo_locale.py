"""Every page, rendered in a pseudo-locale, shows no text that skipped the catalog.

The pseudo-locale (tests/fixtures/pseudo_locale.py) turns every extracted
string into look-alike letters, so any plain ASCII word left on a page, that
is not data the test put there (names, addresses, the rubric's own texts,
printed dates), is text that did not go through ``_()``/``ngettext()``.

``PAGES`` are the page routes that are translated, each with how to reach it;
``PENDING`` the page routes not translated yet, with who does them. A page
route of the app in neither list fails the test, so a new page cannot slip
through: translate it and add it to ``PAGES`` (a coach or admin page gets its
own setup below), or put it in ``PENDING`` for now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.dates import get_month_names
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.core import i18n
from app.rubrics.schemas import Rubric
from tests.authz.page_rules import html_page_routes, page_rules
from tests.fixtures.assessments import SubmitFactory, all_answers
from tests.fixtures.feedback import open_request
from tests.fixtures.pseudo_locale import (
    PSEUDO,
    pseudo,
    strings_of,
    untranslated,
)
from tests.fixtures.web import Browser

#: Page routes not translated yet (docs/i18n.md, Status): the route -> what is left.
#: Every other page is walked here (``PAGES``) or in the authorization matrix's walk
#: (``tests/authz/test_pseudo_locale_pages.py``, which checks that these still fail).
PENDING: dict[str, str] = {}


@dataclass(frozen=True)
class World:
    """What the pages show: people, assessments in every state, a feedback request."""

    participant: User
    admin: User
    draft: int
    complete: int
    earlier: int
    later: int
    rater_secret: str
    rater_email: str


@dataclass(frozen=True)
class Page:
    """A translated page route, the URL that shows it and who looks at it."""

    route: str
    url: Callable[[World], str]
    viewer: str = "participant"  # "participant", "admin" or "anonymous" (a rater, signing in)


PAGES: tuple[Page, ...] = (
    Page("/login", lambda w: "/login", "anonymous"),
    Page("/forgot-password", lambda w: "/forgot-password", "anonymous"),
    Page("/assessments", lambda w: "/assessments"),
    Page("/assessments/{assessment_id:id}", lambda w: f"/assessments/{w.draft}"),
    Page("/assessments/{assessment_id:id}/review", lambda w: f"/assessments/{w.draft}/review"),
    Page("/assessments/{assessment_id:id}/confirm", lambda w: f"/assessments/{w.complete}/confirm"),
    Page("/assessments/{assessment_id:id}/results", lambda w: f"/assessments/{w.later}/results"),
    Page("/assessments/compare", lambda w: f"/assessments/compare?a={w.earlier}&b={w.later}"),
    Page("/assessments/{assessment_id:id}/feedback", lambda w: f"/assessments/{w.later}/feedback"),
    Page("/feedback/{secret}", lambda w: f"/feedback/{w.rater_secret}", "anonymous"),
    Page("/account/notifications", lambda w: "/account/notifications"),
    Page("/account/sessions", lambda w: "/account/sessions"),
    Page("/account/data", lambda w: "/account/data"),
    Page(
        "/admin/users/{user_id}/erase", lambda w: f"/admin/users/{w.participant.id}/erase", "admin"
    ),
)


def test_every_page_route_is_checked_or_pending() -> None:
    routes = html_page_routes()
    checked = {page.route for page in PAGES}
    assert not checked & set(PENDING), "a route is both checked and pending"
    checked |= {rule.path for _, rule, _ in page_rules()} - set(PENDING)
    missing = sorted(routes - checked - set(PENDING))
    assert not missing, (
        "page routes neither checked in the pseudo-locale nor pending "
        f"(tests/core/test_pseudo_locale.py): {missing}"
    )
    stale = sorted((checked | set(PENDING)) - routes)
    assert not stale, f"listed routes the app does not have: {stale}"


def test_the_pseudo_translation_keeps_placeholders_and_markup() -> None:
    assert pseudo("Save") == "Šáṽé"
    assert pseudo("You were invited as <strong>%(email)s</strong>.") == (
        "Ýóú ŵéŕé íñṽíţéď áš <strong>%(email)s</strong>."
    )
    assert untranslated("<p>Šáṽé %(n)s</p><button title='Close'>Ĉ</button>", []) == [
        "button[title]: Close"
    ]


@pytest.fixture
def world(
    pseudo_locales: Path,
    session: Session,
    participant: User,
    admin: User,
    mini: Rubric,
    submitted: SubmitFactory,
) -> World:
    draft = submitted(participant, answers={}, submit=False)
    complete = submitted(participant, answers=all_answers(mini, 2), submit=False)
    earlier = submitted(participant)
    later = submitted(participant, answers=all_answers(mini))
    rater = "rater@example.test"
    _, secrets = open_request(
        session, user=participant, assessment_id=later, raters={rater: "peers"}
    )
    return World(
        participant=participant,
        admin=admin,
        draft=draft,
        complete=complete,
        earlier=earlier,
        later=later,
        rater_secret=secrets[rater],
        rater_email=rater,
    )


def _data(world: World, *rubrics: Rubric) -> set[str]:
    """Everything on the pages that is data, not UI text."""
    months = {
        name
        for width in ("abbreviated", "wide")
        for name in get_month_names(width, locale="en").values()
    }
    people = {world.participant.display_name, world.participant.email, world.admin.email}
    people |= {world.admin.display_name, world.rater_email}
    languages = {i18n.language_name(code) for code in i18n.available_locales()}
    # Times print "5:54 AM" in English formats (the pseudo-locale formats as English).
    return {*strings_of(rubrics), *months, *people, *languages, "Stepwise", "AM", "PM"}


@pytest.mark.parametrize("page", PAGES, ids=[page.route for page in PAGES])
def test_the_page_shows_only_translated_text(
    page: Page,
    world: World,
    mini: Rubric,
    po_rubric: Rubric,
    client_for_pseudo: Callable[[str, World], Browser],
) -> None:
    browser = client_for_pseudo(page.viewer, world)
    response = browser.get(page.url(world))
    assert response.status_code == 200, (page.url(world), response.status_code)
    assert f'<html lang="{PSEUDO.replace("_", "-")}">' in response.text
    left = untranslated(response.text, _data(world, mini, po_rubric))
    assert not left, f"{page.route}: text that skipped the catalog: {left}"


@pytest.fixture
def client_for_pseudo(
    pseudo_locales: Path, browser_for: Callable[[User], Browser], client: TestClient
) -> Callable[[str, World], Browser]:
    """A browser in the pseudo-locale (its cookie): signed in as the viewer, or anonymous."""

    def make(viewer: str, world: World) -> Browser:
        if viewer == "anonymous":
            browser = Browser(client, "")
        else:
            browser = browser_for(world.admin if viewer == "admin" else world.participant)
        browser.client.cookies.set(i18n.LOCALE_COOKIE, PSEUDO)
        return browser

    return make
