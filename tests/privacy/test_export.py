"""The data export holds exactly the person's data: checked against a second person's."""

from __future__ import annotations

import json
from collections.abc import Callable

from app.accounts.models import User
from tests.fixtures.api import Api
from tests.fixtures.pdf import pdf_text
from tests.fixtures.web import Browser
from tests.privacy.conftest import Person, read_zip


def test_the_export_holds_every_record_of_the_person_and_nothing_of_another(
    people: tuple[Person, Person], api_for: Callable[[User], Api]
) -> None:
    a, b = people
    response = api_for(a.user).call("GET", "/me/export")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "private, no-store"
    data, files = read_zip(response.content)
    text = json.dumps(data)

    # Every record of A's is there.
    assert data["profile"]["email"] == a.email
    assert data["profile"]["display_name"] == a.name
    assert sorted(x["id"] for x in data["assessments"]) == sorted(a.assessment_ids)
    submitted = [x for x in data["assessments"] if x["status"] == "submitted"]
    assert submitted and all(x["responses"] and x["result"] for x in submitted)
    assert [r["id"] for r in data["reviews"]] == [a.review_id]
    assert [p["title"] for p in data["development_plan"]] == [f"Action-{a.marker}"]
    assert [f["request"]["assessment_id"] for f in data["feedback_requests"]] == [
        a.assessment_ids[0]
    ]
    assert [m["cohort_name"] for m in data["cohort_memberships"]] == [a.cohort_name]
    assert data["notification_preferences"]["plan_reminder"] is False
    assert data["api_tokens"], "the token of this very request"
    assert data["sso_links"] == []
    for wanted in a.texts:
        assert wanted in text, wanted
    # One PDF per submitted assessment, A's own report.
    assert list(files) == data["reports"]["included"]
    assert len(files) == len(submitted)
    report = pdf_text(next(iter(files.values())))
    assert a.name in report

    # Nothing of B's, no private note, no rater's address or single answers.
    for unwanted in (b.email, b.name, b.marker, a.private_note, *a.rater_emails):
        assert unwanted not in text, unwanted
        assert unwanted not in report, unwanted
    assert not set(b.assessment_ids) & {x["id"] for x in data["assessments"]}
    assert b.review_id not in [r["id"] for r in data["reviews"]]
    assert "level_index" not in text


def test_the_account_page_offers_the_download(
    people: tuple[Person, Person], browser_for: Callable[[User], Browser]
) -> None:
    a, b = people
    browser = browser_for(b.user)
    page = browser.get("/account/data")
    assert page.status_code == 200
    assert 'href="/account/data/export"' in page.text
    download = browser.get("/account/data/export")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    data, _ = read_zip(download.content)
    assert data["profile"]["email"] == b.email
    assert a.email not in json.dumps(data)
