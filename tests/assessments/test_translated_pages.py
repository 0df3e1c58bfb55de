"""The pages show the rubric in the viewer's locale (``mini`` has a German translation).

``tests/fixtures/rubrics/mini.de.yaml`` leaves the expert level of "review"
out, so those texts show in English: the fallback is string by string.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.reports.service import get_report_html
from app.rubrics.schemas import Rubric
from tests.fixtures.web import Browser


def german(session: Session, user: User) -> User:
    user.locale = "de"
    session.add(user)
    session.commit()
    return user


def test_the_german_questionnaire_shows_translated_behavior_texts(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = service.create_assessment(
        session=session, user=german(session, participant), rubric_id="mini"
    )
    session.commit()
    browser = browser_for(participant)

    first = browser.get(f"/assessments/{state.id}").text
    second = browser.get(f"/assessments/{state.id}?section=2").text

    assert '<html lang="de"' in first
    assert "Planung" in first and "Ich plane meinen Tag." in first and "Plant einen Tag." in first
    assert "I plan my day." not in first
    assert "Überprüfung" in second and "Ich bitte um Überprüfungen." in second
    assert "I review others&#39;" in second  # untranslated: the rubric's own text
    assert 'name="a.pl-1"' in first  # ids as written: answers are stored by item id


def test_an_english_viewer_sees_the_rubric_as_written(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = service.create_assessment(session=session, user=participant, rubric_id="mini")
    session.commit()
    page = browser_for(participant).get(f"/assessments/{state.id}").text
    assert "I plan my day." in page and "Ich plane" not in page


def test_german_results_name_behaviors_and_levels_in_german(
    browser_for: Callable[[User], Browser], participant: User, session: Session, mini: Rubric
) -> None:
    state = service.create_assessment(
        session=session, user=german(session, participant), rubric_id="mini"
    )
    state = service.save_responses(
        session=session,
        user=participant,
        assessment_id=state.id,
        expected_version=state.version,
        responses=dict.fromkeys(mini.items_by_id, 4),
    )
    service.submit_assessment(
        session=session, user=participant, assessment_id=state.id, expected_version=state.version
    )
    session.commit()

    page = browser_for(participant).get(f"/assessments/{state.id}/results")

    assert page.status_code == 200
    # The stored result quotes the rubric: shown in German, it quotes the translation.
    assert "Planung" in page.text and "Handwerk" in page.text and "Experte" in page.text
    assert "Plant ein Quartal." in page.text
    assert ">Planning<" not in page.text and "Craft" not in page.text
    stored = service.get_assessment_for(session=session, user=participant, assessment_id=state.id)
    assert stored.result is not None and stored.result.competencies[0].name == "Craft"

    # The PDF report (here its HTML) is in the participant's language, whoever reads it.
    html = get_report_html(session=session, user=participant, assessment_id=state.id)
    assert "Planung" in html and "Plant ein Quartal." in html
