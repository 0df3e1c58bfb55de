"""The insights API: shapes, the Link header of heatmap pages, located errors, 403/404."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import Role, User
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.fixtures.insights import group_with_levels

LEVELS = [(0, 0), (1, 1), (2, 1), (2, 3), (3, 3), (3, 0)]


def _cycle(session: Session, make_user: UserFactory, size: int = 6) -> int:
    return group_with_levels(session, make_user, LEVELS[:size]).cycle_ids[0]


def test_distribution_and_change_answer_their_figures(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    cycle_id = _cycle(session, make_user)
    api = api_for(make_user(Role.admin))
    body = api.ok("GET", f"/cycles/{cycle_id}/insights/distribution?source=self")
    assert body["cycle"]["rubric_id"] == "mini"
    assert body["level_names"] == {
        "0": "Not yet",
        "1": "Novice",
        "2": "Practitioner",
        "3": "Expert",
    }
    planning = body["distributions"]["behaviors"][0]
    assert [c["count"] for c in planning["counts"]] == [1, 1, 2, 2]
    assert body["distributions"]["strongest"][0]["behavior"]["id"] == "planning"
    change = api.ok("GET", f"/cycles/{cycle_id}/insights/change")
    assert change["previous_cycle"] is None


def test_heatmap_pages_carry_a_link_header(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    cycle_id = _cycle(session, make_user)
    api = api_for(make_user(Role.admin))
    first = api.call("GET", f"/cycles/{cycle_id}/insights/heatmap?limit=4&source=coach")
    assert first.status_code == 200
    assert len(first.json()["heatmap"]["rows"]) == 4
    link = first.headers["Link"]
    assert link.endswith('rel="next"') and "after=" in link
    url = link[1 : link.index(">")].removeprefix("http://testserver")
    second = api.call("GET", url)
    assert len(second.json()["heatmap"]["rows"]) == 2 and "Link" not in second.headers


def test_bad_input_is_located_and_not_echoed(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    cycle_id = _cycle(session, make_user, 2)
    api = api_for(make_user(Role.admin))
    response = api.call("GET", f"/cycles/{cycle_id}/insights/heatmap?source=evil<b>")
    assert response.status_code == 422 and "evil" not in response.text
    assert response.json()["errors"][0]["loc"] == ["query", "source"]
    response = api.call("GET", f"/cycles/{cycle_id}/insights/heatmap?after=forged.cursor")
    assert response.status_code == 422 and "forged" not in response.text


def test_a_lead_gets_403_below_the_minimum_and_never_the_heatmap(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    lead = api_for(make_user(Role.lead))
    small = _cycle(session, make_user, 4)
    assert lead.call("GET", f"/cycles/{small}/insights/distribution").status_code == 403
    big = _cycle(session, make_user, 6)
    body = lead.ok("GET", f"/cycles/{big}/insights/distribution")
    for row in body["distributions"]["behaviors"]:
        assert all(c["count"] in (None, 0) or c["count"] >= 5 for c in row["counts"])
    assert lead.call("GET", f"/cycles/{big}/insights/heatmap").status_code == 404
    participant = api_for(make_user())
    assert participant.call("GET", f"/cycles/{big}/insights/distribution").status_code == 404
