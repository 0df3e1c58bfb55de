"""Growth over time: the raters' median per past assessment, where their results are shown."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.api import Api
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.feedback_raters import MINI_RATERS, Rater, store_raters
from tests.fixtures.web import Browser

#: Three peers on planning only (orders 3, 3, 2): median 3; review not observed by all.
LATER = tuple(Rater("peers", {"planning": level, "review": None}) for level in (2, 2, 1))


def test_growth_has_the_others_median_where_shown(
    session: Session,
    submitted: SubmitFactory,
    participant: User,
    coach: User,
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
) -> None:
    first = submitted(participant)
    second = submitted(participant)
    third = submitted(participant)  # no raters at all
    store_raters(session, assessment_id=first, raters=MINI_RATERS)
    store_raters(session, assessment_id=second, raters=LATER)

    growth = api_for(participant).ok("GET", f"/participants/{participant.id}/growth")

    by_behavior = {b["behavior_id"]: b["points"] for b in growth["behaviors"]}
    medians = {
        bid: {p["assessment_id"]: p["others_median"] for p in points}
        for bid, points in by_behavior.items()
    }
    assert medians["planning"] == {first: 2.0, second: 3.0, third: None}
    assert medians["review"] == {first: 2.0, second: None, third: None}

    page = browser_for(coach).get(f"/coaching/participants/{participant.id}").text
    assert "others: Practitioner" in page and "others: Expert" in page
