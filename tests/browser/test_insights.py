"""The insights heatmap in a real browser: 1280 and 375 px, keyboard only.

The cohort is written straight into the live server's database through the
real services (23 behaviors of the product-owner rubric, twelve members), as
a cycle would leave it; the admin is the demo's ``admin@example.com``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.core.db import make_engine
from app.programmes.models import CycleParticipation
from app.rubrics.models import RubricVersion
from app.rubrics.service import rubric_of
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE, LiveServer
from tests.fixtures.assessments import make_assessment
from tests.fixtures.factories import new_account
from tests.fixtures.insights import add_cycle, add_member, new_group

pytestmark = pytest.mark.browser


def _seed_cohort(live_server: LiveServer, tag: str) -> int:
    engine = make_engine(live_server.env["STEPWISE_DATABASE_URL"])
    with Session(engine) as session:
        group = new_group(session, name=f"Product owners {tag}")
        cycle_id = add_cycle(session, group, rubric_id="product-owner")
        version = session.exec(
            select(RubricVersion).where(
                RubricVersion.rubric_id == "product-owner",
                RubricVersion.is_current == True,  # noqa: E712
            )
        ).one()
        rubric = rubric_of(version)
        scale = list(range(rubric.scale.min, rubric.scale.max + 1))
        for i in range(12):
            member = new_account(
                session=session,
                email=f"insights-{tag}-{i}@example.com",
                display_name=f"Member {i + 1}",
            )
            add_member(session, group, member)
            answers = {
                item: scale[(i + n) % len(scale)] for n, item in enumerate(rubric.items_by_id)
            }
            state = make_assessment(
                session=session, user=member, answers=answers, rubric_id="product-owner"
            )
            assert member.id is not None
            session.add(
                CycleParticipation(cycle_id=cycle_id, user_id=member.id, assessment_id=state.id)
            )
        session.commit()
        cohort_id = group.cohort_id
    engine.dispose()
    return cohort_id


def _tab_to(page: Page, element_id: str) -> None:
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_heatmap_keyboard_only_and_its_own_scroll_box(
    new_context: Callable[..., Any],
    sign_in: Callable[..., None],
    live_server: LiveServer,
    screenshot: Callable[[Page, str], Any],
    viewport: dict[str, int],
) -> None:
    cohort_id = _seed_cohort(live_server, str(viewport["width"]))
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "admin@example.com")
    page.goto(live_server.url(f"/cohorts/{cohort_id}/insights"))
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_be_visible()
    assert heatmap.locator("thead th[scope=col]").count() == 24  # Member + 23 behaviors
    assert heatmap.locator("tbody th[scope=row]").count() == 12
    expect(page.locator("#source-self")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    screenshot(page, f"insights-heatmap-{viewport['width']}")

    widths = page.evaluate(
        """() => {
          const box = document.getElementById('heatmap-box');
          return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                  box: box.scrollWidth, boxView: box.clientWidth};
        }"""
    )
    assert widths["page"] <= widths["view"], widths  # the page never scrolls sideways
    if viewport is PHONE:
        assert widths["box"] > widths["boxView"], widths  # the heatmap box does

    # Keyboard only: Tab to the coach toggle, Space switches; Tab back to self, Enter.
    _tab_to(page, "source-coach")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"source=coach"))
    expect(page.locator("#source-coach")).to_have_attribute("aria-pressed", "true")
    _tab_to(page, "source-self")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"source=self"))
    expect(page.locator("#source-self")).to_have_attribute("aria-pressed", "true")
