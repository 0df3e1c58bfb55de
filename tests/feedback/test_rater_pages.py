"""The rater's form without JavaScript (plain form posts), and its autosave endpoint."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.feedback.models import FeedbackRequest
from app.feedback.repository import load_rater_responses
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory, csrf_from_page
from tests.fixtures.feedback import open_request
from tests.fixtures.settings import changed_settings

RATERS = {"a@example.test": "peers", "m@example.test": "manager"}
HTML = {"Accept": "text/html"}


def _post(client: TestClient, url: str, fields: dict[str, str]) -> Response:
    return client.post(
        url,
        content=urlencode(fields),
        follow_redirects=False,
        headers={**HTML, "Content-Type": "application/x-www-form-urlencoded"},
    )


def _version(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match
    return match.group(1)


def _setup(
    session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> tuple[int, dict[str, str]]:
    owner = make_user()
    state, secrets = open_request(
        session, user=owner, assessment_id=submitted(owner), raters=RATERS, message="Be frank <b>"
    )
    return state.assessment_id, secrets


def test_answer_save_come_back_submit_without_javascript(
    client: TestClient, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    assessment_id, secrets = _setup(session, make_user, submitted)
    url = f"/feedback/{secrets['a@example.test']}"
    page = client.get(url, headers=HTML)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.text
    assert "under 3 minutes" in html and "What is anonymous" in html
    assert "Be frank &lt;b&gt;" in html  # the message, escaped
    assert "Plans a quarter." in html and "Not observed" in html
    assert "may be shown on their own" not in html
    csrf = csrf_from_page(html)

    # Without the CSRF token: refused, nothing saved.
    assert _post(client, url, {"version": "1", "c.planning": "0"}).status_code == 403

    saved = _post(
        client,
        url,
        {"csrf_token": csrf, "version": "1", "go": "save", "c.planning": "1", "n.planning": "Good"},
    )
    assert saved.status_code == 303
    again = client.get(saved.headers["location"], headers=HTML)
    assert "Your answers are saved" in again.text
    assert re.search(r'value="1" checked', again.text) and "Good</textarea>" in again.text

    # A stale post: 409, the page again with what was posted, nothing lost.
    stale = _post(
        client, url, {"csrf_token": csrf, "version": "1", "go": "save", "n.review": "Mine"}
    )
    assert stale.status_code == 409 and "Mine</textarea>" in stale.text

    # Submit without every choice: 422, the missing behavior marked, the rest saved.
    version = _version(again.text)
    missing = _post(
        client,
        url,
        {"csrf_token": csrf, "version": version, "go": "submit", "keep_doing": "Plans"},
    )
    assert missing.status_code == 422
    assert 'id="missing-review"' in missing.text and 'id="missing-planning"' not in missing.text
    assert "Plans</textarea>" in missing.text

    done = _post(
        client,
        url,
        {
            "csrf_token": csrf,
            "version": _version(missing.text),
            "go": "submit",
            "c.review": "not_observed",
        },
    )
    assert done.status_code == 303
    thanks = client.get(url, headers=HTML)
    assert thanks.status_code == 200 and "Thank you" in thanks.text
    assert "Good" not in thanks.text and "Plans" not in thanks.text
    late = _post(client, url, {"csrf_token": csrf, "version": "9", "go": "save", "c.planning": "2"})
    assert late.status_code == 200 and "Thank you" in late.text  # shows thanks, changes nothing
    (response,) = load_rater_responses(session, assessment_id=assessment_id)
    assert dict(response.levels) == {"planning": 1, "review": None}


def test_autosave_with_json(
    client: TestClient, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    _, secrets = _setup(session, make_user, submitted)
    url = f"/feedback/{secrets['m@example.test']}"
    csrf = csrf_from_page(client.get(url, headers=HTML).text)
    headers = {"X-CSRF-Token": csrf, "If-Match": '"1"'}
    ok = client.patch(url + "/answers", json={"choices": {"planning": "2"}}, headers=headers)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"version": 2, "status": "started", "answered": 1, "total": 2}
    assert ok.headers["ETag"] == '"2"'
    stale = client.patch(url + "/answers", json={"choices": {"review": "0"}}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["current"] == {"version": 2, "status": "started"}
    bad = client.patch(
        url + "/answers",
        json={"choices": {"review": "1"}, "comments": {"planning": "x" * 2001}},
        headers={**headers, "If-Match": '"2"'},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "x" * 50 not in bad.text
    no_csrf = client.patch(url + "/answers", json={"choices": {}}, headers={"If-Match": '"2"'})
    assert no_csrf.status_code == 403
    incomplete = client.patch(
        url + "/answers", json={"submit": True}, headers={**headers, "If-Match": '"2"'}
    )
    assert incomplete.status_code == 422 and incomplete.headers["ETag"] == '"3"'
    assert [e["loc"] for e in incomplete.json()["errors"]] == [["body", "choices", "review"]]
    done = client.patch(
        url + "/answers",
        json={"choices": {"review": "0"}, "submit": True},
        headers={**headers, "If-Match": '"3"'},
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted", done.text
    # After the submit, even the current version changes nothing: the 409 says why.
    late = client.patch(
        url + "/answers",
        json={"choices": {"review": "not_observed"}},
        headers={**headers, "If-Match": done.headers["ETag"]},
    )
    assert late.status_code == 409 and "submitted already" in late.json()["detail"]
    assert late.json()["current"] == {"version": done.json()["version"], "status": "submitted"}


def test_bad_links_reveal_nothing(
    client: TestClient, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    _, secrets = _setup(session, make_user, submitted)
    unknown = client.get("/feedback/" + "A" * 43, headers=HTML)
    assert unknown.status_code == 404 and "Page not found" in unknown.text
    assert client.patch("/feedback/nope/answers", json={}).status_code in (403, 404)
    # Close the request: every link answers the styled 410, without naming anyone.
    request = session.exec(select(FeedbackRequest)).one()
    request.status = "closed"
    session.add(request)
    session.commit()
    gone = client.get(f"/feedback/{secrets['a@example.test']}", headers=HTML)
    assert gone.status_code == 410 and "This link no longer works" in gone.text
    assert "a@example.test" not in gone.text and "User" not in gone.text


def test_the_product_owner_form_says_under_ten_minutes(
    client: TestClient, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    owner = make_user()
    assessment_id = submitted(owner, answers={}, rubric_id="product-owner", submit=False)
    _, secrets = open_request(
        session, user=owner, assessment_id=assessment_id, raters={"boss@example.test": "manager"}
    )
    html = client.get(f"/feedback/{secrets['boss@example.test']}", headers=HTML).text
    minutes = re.search(r"under (\d+) minutes", html)
    assert minutes and int(minutes.group(1)) < 10  # 23 behaviors
    assert html.count('type="radio"') == 23 * 6  # five anchors and "not observed" each
    # Rater wording where the rubric gives it, the descriptors otherwise.
    assert "How does this person manage what you and other stakeholders expect" in html
    assert "Sets expectations I can rely on" in html
    assert "Sets realistic expectations with stakeholders" not in html
    assert "Plans a day" not in html and "Understands the current product vision" in html
    # The manager is not told they may be shown alone unless the setting says so.
    assert "may be shown on their own" not in html


def test_a_manager_is_told_when_their_group_may_be_shown_alone(
    client: TestClient,
    session: Session,
    make_user: UserFactory,
    submitted: SubmitFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, secrets = _setup(session, make_user, submitted)
    with changed_settings(monkeypatch, STEPWISE_FEEDBACK_SHOW_MANAGER="true"):
        manager = client.get(f"/feedback/{secrets['m@example.test']}", headers=HTML).text
        peer = client.get(f"/feedback/{secrets['a@example.test']}", headers=HTML).text
    assert "As their manager, your answers may be shown on their own" in manager
    assert "may be shown on their own" not in peer


def test_a_rater_whose_browser_asks_for_german_reads_the_rubric_in_german(
    client: TestClient, session: Session, make_user: UserFactory, submitted: SubmitFactory
) -> None:
    _, secrets = _setup(session, make_user, submitted)
    url = f"/feedback/{secrets['a@example.test']}"
    german = client.get(url, headers={**HTML, "Accept-Language": "de-DE,de;q=0.9"}).text
    assert "Planung" in german and "Plant ein Quartal." in german
    assert "Reviews others." in german  # not in the translation: the rubric's own text
    english = client.get(url, headers={**HTML, "Accept-Language": "en"}).text
    assert "Plans a quarter." in english and "Plant ein Quartal." not in english
