"""The participant pages over HTTP, without JavaScript: what a plain browser gets.

A signed-in browser is a TestClient carrying a real web-session cookie
(created by the accounts service) and posting the session's CSRF token in
forms, exactly like the pages' own forms do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.assessments.state import AssessmentState
from app.rubrics.schemas import Rubric
from tests.fixtures.web import Browser


def start(session: Session, user: User, rubric_id: str = "mini") -> AssessmentState:
    state = service.create_assessment(session=session, user=user, rubric_id=rubric_id)
    session.commit()
    return state


def stored(session: Session, user: User, state: AssessmentState) -> AssessmentState:
    """The assessment as it is saved now, to check what a page's post wrote (or did not)."""
    return service.get_assessment_for(session=session, user=user, assessment_id=state.id)


def answer(
    session: Session, user: User, state: AssessmentState, responses: dict[str, object]
) -> AssessmentState:
    current = stored(session, user, state)
    new = service.save_responses(
        session=session,
        user=user,
        assessment_id=state.id,
        expected_version=current.version,
        responses=responses,
    )
    session.commit()
    return new


def checked(html: str, item_id: str) -> str | None:
    """The value of the checked radio of an item in a rendered questionnaire."""
    for match in re.finditer(
        r"<input type=\"radio\" name=\"a\.([^\"]+)\" value=\"([^\"]+)\"( checked)?", html
    ):
        if match.group(1) == item_id and match.group(3):
            return match.group(2)
    return None


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


# --- signing in and the home page --------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client: TestClient) -> None:
    response = client.get("/assessments", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fassessments")


def test_home_lists_assessments_with_dates_and_offers_every_rubric(
    browser_for: Callable[[User], Browser], participant: User, session: Session, mini: Rubric
) -> None:
    in_progress = start(session, participant, "product-owner")
    done = start(session, participant, "mini")
    done = answer(session, participant, done, dict.fromkeys(mini.items_by_id, 4))
    service.submit_assessment(
        session=session, user=participant, assessment_id=done.id, expected_version=done.version
    )
    session.commit()

    page = browser_for(participant).get("/assessments")

    assert page.status_code == 200
    html = page.text
    assert '<html lang="en"' in html and "<title>Your assessments" in html
    assert f'href="/assessments/{in_progress.id}"' in html  # continue
    assert f'href="/assessments/{done.id}/results"' in html  # results
    assert "0 of 230 answered" in html
    assert '<option value="product-owner"' in html and '<option value="mini"' in html
    # Latest results at a glance: the competency and its level name.
    assert "Latest results" in html and "Craft" in html and "Expert" in html
    assert page.headers["cache-control"] == "no-store"


def test_starting_an_assessment_redirects_to_its_first_section(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    response = browser.post("/assessments/new", {"rubric_id": "mini"})
    assert response.status_code == 303
    assessment_id = int(response.headers["location"].rsplit("/", 1)[1])
    state = service.get_assessment_for(
        session=session, user=participant, assessment_id=assessment_id
    )
    assert state.rubric_version.rubric_id == "mini" and state.version == 1


def test_posts_without_the_csrf_token_are_refused(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    assert browser.post("/assessments/new", {"rubric_id": "mini"}, csrf=False).status_code == 403
    state = start(session, participant)
    refused = browser.post(
        f"/assessments/{state.id}", {"section": "1", "version": "1", "a.pl-1": "4"}, csrf=False
    )
    assert refused.status_code == 403
    assert stored(session, participant, state).responses == {}


def test_an_unknown_rubric_is_a_clear_error_page(
    browser_for: Callable[[User], Browser], participant: User
) -> None:
    response = browser_for(participant).post("/assessments/new", {"rubric_id": "nope"})
    assert response.status_code == 422
    assert "Unknown rubric" in response.text and "<html" in response.text


# --- the questionnaire -------------------------------------------------------------------


def test_a_section_is_one_behavior_with_real_radio_buttons_product_owner(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "product-owner")
    html = browser_for(participant).get(f"/assessments/{state.id}").text

    assert "<title>Vision &amp; Strategy · Product Owner competencies" in html
    assert "<h1>Vision &amp; Strategy</h1>" in html
    assert "Creating a compelling product vision" in html  # the behavior's description
    assert "Section 1 of 23" in html
    assert html.count('<fieldset class="item') == 10
    assert html.count("<legend>") == 10
    # Each item: the scale 1..5 with the rubric's labels, and n/a (allowed here).
    assert html.count('name="a.pm-vs-1a"') == 6
    assert "Not at all like me" in html and "Always like me" in html
    assert 'name="a.pm-vs-1a" value="n/a"' in html
    # Every radio sits inside its label.
    assert len(re.findall(r'<label class="choice[^"]*">\s*<input type="radio"', html)) == 60
    # The navigation lists all 23 sections, grouped by competency.
    assert html.count(f'data-href="/assessments/{state.id}?section=') >= 23
    assert "Holistic Product Ownership" in html


def test_the_sparse_mini_rubric_uses_its_own_scale_and_no_na(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    html = browser_for(participant).get(f"/assessments/{state.id}?section=2").text

    assert "<h1>Review</h1>" in html and "Section 2 of 2" in html
    assert html.count('<fieldset class="item') == 3  # novice 1 + expert 2; no practitioner
    values = re.findall(r'name="a\.rv-1" value="([^"]+)"', html)
    assert values == ["0", "1", "2", "3", "4"]
    assert 'value="n/a"' not in html
    assert "Never" in html and "Always" in html


def test_an_out_of_range_section_shows_the_nearest_one(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    html = browser_for(participant).get(f"/assessments/{state.id}?section=99").text
    assert "Section 2 of 2" in html


def test_saved_answers_are_shown_checked(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    answer(session, participant, state, {"pl-1": 3, "pl-2a": 0})
    html = browser_for(participant).get(f"/assessments/{state.id}").text
    assert checked(html, "pl-1") == "3" and checked(html, "pl-2a") == "0"
    assert checked(html, "pl-2b") is None
    assert hidden(html, "version") == "2"
    assert hidden(html, "o.pl-1") == "3" and hidden(html, "o.pl-2b") == ""
    assert "2 of 7 answered" in html


# --- the no-JavaScript flow --------------------------------------------------------------


def test_a_whole_questionnaire_without_javascript(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    state = start(session, participant, "mini")
    url = f"/assessments/{state.id}"

    # Section 1: post its answers and go on; the server saves and redirects (PRG).
    first = browser.post(
        url,
        {
            "section": "1",
            "version": "1",
            "go": "next",
            "a.pl-1": "4",
            "a.pl-2a": "4",
            "a.pl-2b": "3",
            "a.pl-3": "1",
            "o.pl-1": "",
            "o.pl-2a": "",
            "o.pl-2b": "",
            "o.pl-3": "",
        },
    )
    assert first.status_code == 303 and first.headers["location"] == f"{url}?section=2"
    saved = stored(session, participant, state)
    assert saved.responses == {"pl-1": 4, "pl-2a": 4, "pl-2b": 3, "pl-3": 1}

    # Section 2 with "Review and submit".
    page = browser.get(f"{url}?section=2").text
    version = hidden(page, "version")
    second = browser.post(
        url,
        {
            "section": "2",
            "version": version,
            "go": "review",
            "a.rv-1": "0",
            "a.rv-3a": "4",
            "a.rv-3b": "4",
            "o.rv-1": "",
            "o.rv-3a": "",
            "o.rv-3b": "",
        },
    )
    assert second.status_code == 303 and second.headers["location"] == f"{url}/review"

    review = browser.get(f"{url}/review")
    assert "Every statement is answered" in review.text
    assert f'href="{url}/confirm"' in review.text and "/submit" not in review.text
    confirm = browser.get(f"{url}/confirm")
    assert confirm.status_code == 200 and "Submitting is final" in confirm.text
    submitted = browser.post(f"{url}/submit", {"version": hidden(confirm.text, "version")})
    assert submitted.status_code == 303 and submitted.headers["location"] == f"{url}/results"

    results = browser.get(f"{url}/results")
    assert results.status_code == 200
    html = results.text
    assert "<title>Results · Mini framework" in html
    # Two behaviors are too few for a radar: the chart's table stands in for it.
    assert "chart-radar" not in html and '<table class="chart-data">' in html
    # Planning: novice (4) and practitioner (mean 3.5 >= 3) reached, expert (1) not.
    assert "Plans a week." in html  # the level reached
    assert "Plans a quarter." in html and "Draft a quarterly plan." in html  # next + actions
    # Review: novice not demonstrated (0) but expert is (4, 4): flagged inconsistent.
    assert "Inconsistent answers" in html
    assert "Request one review a week." in html
    # The questionnaire of a submitted assessment now leads to the results.
    assert browser.get(url).headers["location"] == f"{url}/results"


def test_jumping_to_a_section_by_its_button_saves_first(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    response = browser_for(participant).post(
        f"/assessments/{state.id}",
        {"section": "2", "version": "1", "go": "1", "a.rv-1": "2", "o.rv-1": ""},
    )
    assert response.headers["location"] == f"/assessments/{state.id}?section=1"
    assert stored(session, participant, state).responses == {"rv-1": 2}


def test_a_stale_post_merges_items_nobody_else_changed(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    state = start(session, participant, "mini")
    page = browser.get(f"/assessments/{state.id}").text  # rendered at version 1
    answer(session, participant, state, {"pl-3": 2})  # another tab saves pl-3 meanwhile

    response = browser.post(
        f"/assessments/{state.id}",
        {
            "section": "1",
            "version": hidden(page, "version"),
            "go": "next",
            "a.pl-1": "4",
            "o.pl-1": "",
            "o.pl-2a": "",
            "o.pl-2b": "",
            "o.pl-3": "",
        },
    )

    assert response.status_code == 303
    current = stored(session, participant, state)
    assert current.responses == {"pl-1": 4, "pl-3": 2}  # both kept


def test_a_stale_post_that_contradicts_another_save_is_shown_again(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    state = start(session, participant, "mini")
    page = browser.get(f"/assessments/{state.id}").text
    answer(session, participant, state, {"pl-1": 1})  # another device answers pl-1 = 1

    response = browser.post(
        f"/assessments/{state.id}",
        {
            "section": "1",
            "version": hidden(page, "version"),
            "go": "next",
            "a.pl-1": "4",
            "a.pl-2a": "3",
            "o.pl-1": "",
            "o.pl-2a": "",
            "o.pl-2b": "",
            "o.pl-3": "",
        },
    )

    assert response.status_code == 409
    html = response.text
    assert "Some answers were changed elsewhere" in html
    assert "You chose <strong>4</strong>" in html
    assert checked(html, "pl-1") == "1"  # the saved answer is shown, not silently replaced
    assert checked(html, "pl-2a") == "3"  # the non-conflicting answer was saved
    current = stored(session, participant, state)
    assert current.responses == {"pl-1": 1, "pl-2a": 3}
    # Posting again from the re-rendered page (choosing 4 deliberately) now saves it.
    again = browser.post(
        f"/assessments/{state.id}",
        {
            "section": "1",
            "version": hidden(html, "version"),
            "go": "stay",
            "a.pl-1": "4",
            "a.pl-2a": "3",
            "o.pl-1": hidden(html, "o.pl-1"),
            "o.pl-2a": hidden(html, "o.pl-2a"),
        },
    )
    assert again.status_code == 303
    assert stored(session, participant, state).responses["pl-1"] == 4


def test_unchanged_answers_in_a_stale_post_overwrite_nothing(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    state = start(session, participant, "mini")
    state = answer(session, participant, state, {"pl-1": 2})
    page = browser.get(f"/assessments/{state.id}").text
    answer(session, participant, state, {"pl-1": 4})  # changed elsewhere afterwards
    # The old page re-posts its (unchanged) pl-1 = 2 along with nothing new.
    response = browser.post(
        f"/assessments/{state.id}",
        {
            "section": "1",
            "version": hidden(page, "version"),
            "go": "next",
            "a.pl-1": "2",
            "o.pl-1": "2",
        },
    )
    assert response.status_code == 303
    assert stored(session, participant, state).responses == {"pl-1": 4}


def test_a_malformed_post_is_a_422_naming_the_field(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    browser = browser_for(participant)
    state = start(session, participant, "mini")
    bad_version = browser.post(f"/assessments/{state.id}", {"section": "1", "version": "x"})
    assert bad_version.status_code == 422 and "version" in bad_version.text
    bad_value = browser.post(
        f"/assessments/{state.id}", {"section": "1", "version": "1", "a.pl-1": "9", "o.pl-1": ""}
    )
    assert bad_value.status_code == 422 and "pl-1" in bad_value.text
    na_not_allowed = browser.post(
        f"/assessments/{state.id}", {"section": "1", "version": "1", "a.pl-1": "n/a"}
    )
    assert na_not_allowed.status_code == 422
    assert stored(session, participant, state).responses == {}


# --- review and submit -------------------------------------------------------------------


def test_review_lists_unanswered_items_with_links(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    browser = browser_for(participant)
    fresh = browser.get(f"/assessments/{state.id}/review").text
    assert "7 statements are not answered yet" in fresh
    assert "not started · 4 statements" in fresh and "not started · 3 statements" in fresh

    answer(session, participant, state, {"pl-1": 3, "pl-2a": 3, "pl-2b": 3, "rv-1": 2})
    html = browser.get(f"/assessments/{state.id}/review").text
    assert "3 statements are not answered yet" in html
    assert "1 of 4 not answered" in html and "2 of 3 not answered" in html
    for section, item_id in ((1, "pl-3"), (2, "rv-3a"), (2, "rv-3b")):
        assert f'href="/assessments/{state.id}?section={section}#item-{item_id}"' in html
    assert "I teach reviewing." in html and "I ask for reviews." not in html
    assert "Submit my self-assessment" not in html


def test_submitting_an_incomplete_assessment_is_refused_with_the_list(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    state = answer(session, participant, state, {"pl-1": 3})
    response = browser_for(participant).post(
        f"/assessments/{state.id}/submit", {"version": str(state.version)}
    )
    assert response.status_code == 422
    assert "Not submitted" in response.text and "6 statements are not answered yet" in response.text
    current = stored(session, participant, state)
    assert not current.assessment.is_submitted
    assert current.version == state.version  # the refused submission changed nothing


def test_results_of_an_assessment_in_progress_lead_to_the_review(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    response = browser_for(participant).get(f"/assessments/{state.id}/results")
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{state.id}/review"


# --- results and comparison --------------------------------------------------------------


def submitted(session: Session, user: User, rubric: Rubric, value: int) -> AssessmentState:
    state = start(session, user, rubric.id)
    state = answer(session, user, state, dict.fromkeys(rubric.items_by_id, value))
    state = service.submit_assessment(
        session=session, user=user, assessment_id=state.id, expected_version=state.version
    )
    session.commit()
    return state


def test_product_owner_results_show_every_competency_with_a_chart(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    from app.rubrics.service import get_rubric_version, rubric_of

    rubric = rubric_of(get_rubric_version(session=session, rubric_id="product-owner"))
    state = submitted(session, participant, rubric, 4)
    html = browser_for(participant).get(f"/assessments/{state.id}/results").text
    assert html.count('class="chart chart-radar"') == 4
    assert html.count('class="panel behavior"') == 23
    assert "You have reached the highest level described for this behavior." in html
    assert "Inconsistent answers" not in html
    assert html.count("Catalyst") >= 4 + 23  # overall levels and behavior levels


def test_the_results_page_links_the_pdf_report(
    browser_for: Callable[[User], Browser], participant: User, session: Session, mini: Rubric
) -> None:
    state = submitted(session, participant, mini, 3)
    html = browser_for(participant).get(f"/assessments/{state.id}/results").text
    assert f'href="/api/v1/assessments/{state.id}/report.pdf"' in html


def test_comparison_of_two_submitted_assessments(
    browser_for: Callable[[User], Browser], participant: User, session: Session, mini: Rubric
) -> None:
    earlier = submitted(session, participant, mini, 1)
    later = submitted(session, participant, mini, 4)
    browser = browser_for(participant)
    results = browser.get(f"/assessments/{later.id}/results").text
    assert f'<option value="{earlier.id}">' in results  # "compare with" offers the earlier one

    html = browser.get(f"/assessments/compare?a={later.id}&b={earlier.id}").text
    assert "How your levels changed" in html
    rows = re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", html)
    assert rows == [("Planning", "Not yet", "Expert"), ("Review", "Not yet", "Expert")]
    assert "up 3" in html


# --- who may see what --------------------------------------------------------------------


def test_someone_elses_assessment_is_not_found_on_every_page(
    browser_for: Callable[[User], Browser],
    participant: User,
    make_user: Callable[..., User],
    session: Session,
    mini: Rubric,
) -> None:
    other = make_user()
    theirs = start(session, other, "mini")
    done = submitted(session, other, mini, 3)
    browser = browser_for(participant)
    for url in (
        f"/assessments/{theirs.id}",
        f"/assessments/{theirs.id}/review",
        f"/assessments/{done.id}/results",
        f"/assessments/compare?a={done.id}&b={done.id}",
    ):
        assert browser.get(url).status_code == 404, url
    for url, data in (
        (f"/assessments/{theirs.id}", {"section": "1", "version": "1", "a.pl-1": "3"}),
        (f"/assessments/{theirs.id}/submit", {"version": "1"}),
    ):
        assert browser.post(url, data).status_code == 404, url
    assert (
        service.get_assessment_for(session=session, user=other, assessment_id=theirs.id).responses
        == {}
    )


def test_an_assigned_coach_sees_results_but_not_the_questionnaire(
    browser_for: Callable[[User], Browser],
    participant: User,
    coach: User,
    session: Session,
    mini: Rubric,
) -> None:
    done = submitted(session, participant, mini, 3)
    draft = start(session, participant, "mini")
    browser = browser_for(coach)
    assert browser.get(f"/assessments/{done.id}/results").status_code == 200
    assert browser.get(f"/assessments/{draft.id}").status_code == 404
    assert browser.get(f"/assessments/{draft.id}/review").status_code == 404


def test_the_pages_own_script_and_stylesheet_are_served_with_cache_headers(
    browser_for: Callable[[User], Browser], participant: User, session: Session
) -> None:
    state = start(session, participant, "mini")
    browser = browser_for(participant)
    html = browser.get(f"/assessments/{state.id}").text
    urls = re.findall(
        r'(?:src|href)="(/static/(?:js/questionnaire\.js|css/assessments\.css)\?v=\w+)"', html
    )
    assert len(urls) == 2
    for url in urls:
        response = browser.client.get(url)
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["cache-control"]
    # No inline script or style anywhere on the page (the CSP forbids them).
    assert "<script>" not in html and "style=" not in html
    # Besides the scripts' strings (a JSON block, data the CSP never runs: docs/i18n.md).
    data_block = '<script type="application/json" id="i18n">'
    code = html.replace(data_block, "", 1)
    assert re.findall(r"<script[^>]*>", code) == [
        tag for tag in re.findall(r"<script[^>]*>", code) if 'src="/static/' in tag
    ]
