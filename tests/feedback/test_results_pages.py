"""The feedback section on the participant's results page and the coach's review page."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.api import Api
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.feedback_raters import MINI_RATERS, store_raters
from tests.fixtures.web import Browser


def _section(html: str) -> str:
    start = html.index('id="feedback"')
    return html[start : html.index("</section>", start)]


def test_the_results_page_shows_the_shown_groups_and_their_comments(
    participant: User, rated: int, browser_for: Callable[[User], Browser]
) -> None:
    page = browser_for(participant).get(f"/assessments/{rated}/results")

    assert page.status_code == 200
    section = _section(page.text)
    assert "Feedback from others" in section
    assert "Answered: Peers 3, Stakeholders 3." in section
    planning = section[
        section.index('id="feedback-planning"') : section.index('id="feedback-review"')
    ]
    # Self practitioner; peers 1, 2, 2 and stakeholders 3, 3, 2: the six shown, median 2.
    assert "Self: <strong>Practitioner</strong>" in planning
    assert "Others (median): <strong>Practitioner</strong>" in planning
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-dots"' in planning
    assert "Peers (3): Novice 1, Practitioner 2, median Practitioner" in planning
    assert "Plans are clear" in planning
    review = section[section.index('id="feedback-review"') :]
    assert "Hidden strength:" in review  # self not yet (0), others' median practitioner
    assert "Comments: Others" in review and "Not seen reviews" in review
    assert "Keep sharing" in section and "Start saying no" in section
    # The lone manager's comment (their group is never shown) appears nowhere.
    assert "MANAGER-ONLY" not in page.text
    assert "@example.test" not in page.text


def test_before_enough_raters_the_section_says_why_nothing_shows(
    session: Session,
    submitted: SubmitFactory,
    participant: User,
    browser_for: Callable[[User], Browser],
) -> None:
    aid = submitted(participant)
    store_raters(session, assessment_id=aid, raters=MINI_RATERS[:2])
    section = _section(browser_for(participant).get(f"/assessments/{aid}/results").text)
    assert "2 raters have answered so far." in section
    assert "at least 3 of its raters" in section
    assert "Plans are clear" not in section and "chart-dots" not in section


def test_the_coach_review_page_shows_the_section_with_the_coachs_levels(
    coach: User,
    rated: int,
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
) -> None:
    coach_api = api_for(coach)
    rid = coach_api.start(rated)["id"]
    coach_api.ok(
        "PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": {"planning": {"coach_level": 3}}}
    )

    page = browser_for(coach).get(f"/coaching/reviews/{rid}")

    assert page.status_code == 200
    section = _section(page.text)
    planning = section[
        section.index('id="feedback-planning"') : section.index('id="feedback-review"')
    ]
    assert "Coach: <strong>Expert</strong>" in planning  # the coach's own, unfinalized rating
    assert "chart-row-coach" in planning
    assert "MANAGER-ONLY" not in page.text
