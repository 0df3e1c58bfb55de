"""The insights page: a real table with headers, toggles as buttons, what a lead does not see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.accounts.models import Role, User
from tests.fixtures.factories import UserFactory
from tests.fixtures.insights import Group, group_with_levels

LEVELS = [(0, 0), (1, 1), (2, 1), (2, 3), (3, 3), (3, 0)]


def _group(session: Session, make_user: UserFactory, size: int = 6) -> Group:
    return group_with_levels(session, make_user, LEVELS[:size], name="PO <guild>")


def test_an_admin_sees_the_heatmap_distribution_and_toggles(
    session: Session, make_user: UserFactory, browser_for: Callable[[User], Any]
) -> None:
    group = _group(session, make_user)
    page = browser_for(make_user(Role.admin)).client.get(f"/cohorts/{group.cohort_id}/insights")
    assert page.status_code == 200, page.text
    html = page.text
    assert "PO &lt;guild&gt;" in html and "<guild>" not in html
    assert '<table class="table heatmap" id="heatmap">' in html
    assert '<th scope="row">' + group.members[0].display_name + "</th>" in html
    assert 'id="source-self" aria-pressed="true"' in html
    assert 'id="source-coach" aria-pressed="false"' in html
    assert 'id="distribution"' in html and "No earlier cycle" in html
    coach_view = browser_for(make_user(Role.admin)).client.get(
        f"/cohorts/{group.cohort_id}/insights?cycle={group.cycle_ids[0]}&source=coach"
    )
    assert 'id="source-coach" aria-pressed="true"' in coach_view.text


def test_a_lead_sees_aggregates_only_and_nothing_of_a_small_group(
    session: Session, make_user: UserFactory, browser_for: Callable[[User], Any]
) -> None:
    lead = browser_for(make_user(Role.lead))
    big = _group(session, make_user)
    html = lead.client.get(f"/cohorts/{big.cohort_id}/insights").text
    assert 'id="heatmap"' not in html and 'id="distribution"' in html
    assert all(member.display_name not in html for member in big.members)
    assert "results.csv" not in html
    small = _group(session, make_user, 3)
    html = lead.client.get(f"/cohorts/{small.cohort_id}/insights").text
    assert 'id="too-small"' in html and 'id="distribution"' not in html
    participant = browser_for(make_user())
    assert participant.client.get(f"/cohorts/{big.cohort_id}/insights").status_code == 404
