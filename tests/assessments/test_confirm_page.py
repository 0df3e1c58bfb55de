"""The confirm step before submitting, and the questionnaire's time estimate (no JS)."""

from __future__ import annotations

import re
from collections.abc import Callable

from httpx import Response
from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.assessments.questionnaire import minutes_for
from app.assessments.state import AssessmentState
from tests.fixtures.assessments import (
    MINI_CONSISTENT,
    MINI_INCONSISTENT,
    Answers,
    make_assessment,
)
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser

BrowserFor = Callable[[User], Browser]


def _confirm_page(
    session: Session, browser: Browser, participant: User, answers: Answers
) -> tuple[AssessmentState, Response]:
    """A draft of ``participant``'s answered with ``answers``, and its confirm page."""
    state = make_assessment(session=session, user=participant, answers=answers, submit=False)
    session.commit()
    return state, browser.get(f"/assessments/{state.id}/confirm")


def test_minutes_are_rounded_up_and_zero_only_for_nothing() -> None:
    assert [minutes_for(n) for n in (0, 1, 7, 8, 10, 230)] == [0, 1, 1, 2, 2, 31]


def test_the_questionnaire_shows_the_section_and_total_time(
    browser_for: BrowserFor, participant: User, session: Session
) -> None:
    state = make_assessment(
        session=session, user=participant, answers=None, rubric_id="product-owner", submit=False
    )
    session.commit()
    page = browser_for(participant).get(f"/assessments/{state.id}").text
    assert f"about {minutes_for(state.rubric.item_count)} min left in total" in page
    assert "statements · about " in page
    # One meaning per answer label: the scale key says each once.
    assert "<dt>5</dt><dd>Always like me</dd>" in page
    assert "others rely on it" not in page


def test_the_confirm_page_previews_the_levels_without_storing_anything(
    browser_for: BrowserFor, participant: User, session: Session
) -> None:
    state, page = _confirm_page(session, browser_for(participant), participant, MINI_INCONSISTENT)
    assert page.status_code == 200
    html = page.text
    # Planning reaches Practitioner; review's answers are inconsistent (see the fixture).
    assert "Your levels if you submit now" in html
    assert "Planning" in html and "Practitioner" in html and "Inconsistent answers" in html
    assert "1 behavior" not in html and "2 behaviors" in html
    assert "Submit my self-assessment" in html and "Change my answers" in html
    stored = service.get_own_assessment(session=session, user=participant, assessment_id=state.id)
    assert not stored.assessment.is_submitted and stored.assessment.result is None


def test_the_preview_matches_what_submitting_stores(
    browser_for: BrowserFor, participant: User, session: Session
) -> None:
    state, page = _confirm_page(session, browser_for(participant), participant, MINI_CONSISTENT)
    html = page.text
    done = service.submit_assessment(
        session=session, user=participant, assessment_id=state.id, expected_version=state.version
    )
    session.commit()
    assert done.result is not None
    for competency in done.result.competencies:
        for behavior in competency.behaviors:
            badge = f'<span class="level-badge level-{behavior.level}">{behavior.level_name}</span>'
            assert re.search(re.escape(f"{behavior.name}</span>") + r"\s*" + re.escape(badge), html)


def test_the_confirm_page_sends_incomplete_and_submitted_ones_on(
    browser_for: BrowserFor, participant: User, session: Session, make_user: UserFactory
) -> None:
    partial = make_assessment(session=session, user=participant, answers={"pl-1": 4}, submit=False)
    done = make_assessment(session=session, user=participant, answers=MINI_CONSISTENT)
    session.commit()
    browser = browser_for(participant)
    incomplete = browser.get(f"/assessments/{partial.id}/confirm")
    assert incomplete.status_code == 303
    assert incomplete.headers["location"] == f"/assessments/{partial.id}/review"
    finished = browser.get(f"/assessments/{done.id}/confirm")
    assert finished.headers["location"] == f"/assessments/{done.id}/results"
    review = browser.get(f"/assessments/{partial.id}/review").text
    assert "/confirm" not in review  # nothing to confirm while answers are missing
    other = browser_for(make_user("participant"))
    assert other.get(f"/assessments/{partial.id}/confirm").status_code == 404
