"""The questionnaire's upgrade banner, its no-JS form and the notice after a move."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.assessments.state import AssessmentState
from tests.assessments.test_pages import answer, hidden, start
from tests.fixtures.assessments import MINI_CONSISTENT
from tests.fixtures.rubric_models import mini_version_3, store_rubric
from tests.fixtures.web import Browser


def _answered_on_2_with_3_current(session: Session, participant: User) -> AssessmentState:
    """A draft on ``mini`` "2" answered with MINI_CONSISTENT, then "3" made current."""
    state = answer(session, participant, start(session, participant), dict(MINI_CONSISTENT))
    store_rubric(session, mini_version_3())
    return state


def _moved_by_the_form(
    session: Session, participant: User, browser: Browser
) -> tuple[AssessmentState, AssessmentState]:
    """The draft of :func:`_answered_on_2_with_3_current` before and after its upgrade form."""
    state = _answered_on_2_with_3_current(session, participant)
    browser.post(f"/assessments/{state.id}/upgrade", {"version": str(state.version)})
    moved = service.get_own_assessment(session=session, user=participant, assessment_id=state.id)
    return state, moved


def _marked(html: str) -> list[str]:
    """The ids of the items marked as new or changed on a questionnaire page."""
    return re.findall(r'class="item[^"]*is-anew[^"]*" id="item-([^"]+)"', html)


def test_no_banner_while_the_version_is_the_latest(
    session: Session, participant: User, browser_for: Callable[[User], Browser]
) -> None:
    state = start(session, participant)
    page = browser_for(participant).get(f"/assessments/{state.id}")
    assert page.status_code == 200
    assert "newer version of this rubric" not in page.text
    assert "/upgrade" not in page.text


def test_the_banner_previews_and_the_form_moves(
    session: Session, participant: User, browser_for: Callable[[User], Browser]
) -> None:
    state = _answered_on_2_with_3_current(session, participant)
    browser = browser_for(participant)
    page = browser.get(f"/assessments/{state.id}?section=2")
    assert page.status_code == 200
    assert "A newer version of this rubric is available" in page.text
    assert "keeps 4 of your answers and clears 3" in page.text
    assert "3 statements to answer anew" in page.text
    assert "I plan the year." in page.text  # the new item, before moving
    assert f'action="/assessments/{state.id}/upgrade"' in page.text
    assert _marked(page.text) == []

    version = re.search(
        r'action="/assessments/\d+/upgrade".*?name="version" value="(\d+)"', page.text, re.S
    )
    assert version and int(version.group(1)) == state.version
    moved = browser.post(f"/assessments/{state.id}/upgrade", {"version": version.group(1)})
    assert moved.status_code == 303, moved.text
    assert moved.headers["location"] == f"/assessments/{state.id}?section=1&done=upgraded"

    after = browser.get(moved.headers["location"])
    assert "now uses the newest version" in after.text
    assert "A newer version of this rubric is available" not in after.text
    assert "New or changed in version 3" in after.text
    assert f"/assessments/{state.id}?section=1#item-pl-2a" in after.text
    assert f"/assessments/{state.id}?section=2#item-rv-3b" in after.text
    assert _marked(after.text) == ["pl-2a", "pl-4"]
    assert hidden(after.text, "version") == str(state.version + 1)
    now = service.get_own_assessment(session=session, user=participant, assessment_id=state.id)
    assert now.rubric_version.version == "3" and "pl-3" not in now.responses


def test_the_notice_lists_only_what_is_still_unanswered(
    session: Session, participant: User, browser_for: Callable[[User], Browser]
) -> None:
    browser = browser_for(participant)
    state, moved = _moved_by_the_form(session, participant, browser)
    answer(session, participant, moved, {"pl-2a": 3, "pl-4": 1})
    page = browser.get(f"/assessments/{state.id}?section=1")
    assert "#item-rv-3b" in page.text and "#item-pl-2a" not in page.text
    assert _marked(page.text) == ["pl-2a", "pl-4"]  # still marked once answered
    answer(session, participant, moved, {"rv-3b": 2})
    assert "New or changed in version" not in browser.get(f"/assessments/{state.id}").text


def test_a_stale_form_shows_the_fresh_offer_again(
    session: Session, participant: User, browser_for: Callable[[User], Browser]
) -> None:
    first = start(session, participant)
    store_rubric(session, mini_version_3())
    state = answer(session, participant, first, {"pl-1": 2})  # another tab saved meanwhile
    browser = browser_for(participant)
    stale = browser.post(f"/assessments/{state.id}/upgrade", {"version": str(first.version)})
    assert stale.status_code == 409
    assert "changed in another tab or device" in stale.text
    assert re.search(
        rf'action="/assessments/{state.id}/upgrade".*?name="version" value="{state.version}"',
        stale.text,
        re.S,
    )
    kept = service.get_own_assessment(session=session, user=participant, assessment_id=state.id)
    assert kept.rubric_version.version == "2"


def test_someone_else_cannot_post_the_form(
    session: Session,
    participant: User,
    coach: User,
    browser_for: Callable[[User], Browser],
) -> None:
    state = start(session, participant)
    store_rubric(session, mini_version_3())
    refused = browser_for(coach).post(f"/assessments/{state.id}/upgrade", {"version": "1"})
    assert refused.status_code == 404


def test_a_conflicting_section_post_keeps_the_marks(
    session: Session, participant: User, browser_for: Callable[[User], Browser]
) -> None:
    browser = browser_for(participant)
    state, moved = _moved_by_the_form(session, participant, browser)
    answer(session, participant, moved, {"pl-2a": 1})  # another tab answers it first
    form = {"section": "1", "version": str(moved.version), "go": "next"}
    posted = browser.post(f"/assessments/{state.id}", form | {"a.pl-2a": "4", "o.pl-2a": ""})
    assert posted.status_code == 409
    assert "changed elsewhere" in posted.text
    assert _marked(posted.text) == ["pl-2a", "pl-4"]
