"""The feedback API: create, read, invite, resend, cancel, close; never an answer or a secret."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.feedback import rater, service
from app.feedback.rater import AnswersIn
from tests.fixtures.api import Api
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.feedback import due_in, link_secret
from tests.fixtures.web import Browser

SECRET_COMMENT = "Only-the-aggregation-reads-this"


def test_the_request_lifecycle_over_the_api(
    session: Session,
    make_user: UserFactory,
    submitted: SubmitFactory,
    api_for: Callable[[User], Api],
) -> None:
    owner = make_user()
    api = api_for(owner)
    assessment_id = submitted(owner)
    url = f"/assessments/{assessment_id}/feedback-request"

    bad = api.call("POST", url, json={"due_date": due_in().isoformat(), "raters": []})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    wrong = api.call(
        "POST",
        url,
        json={"due_date": due_in().isoformat(), "raters": [{"email": "x@y.test", "group": "pals"}]},
    )
    assert wrong.status_code == 422
    assert [e["loc"] for e in wrong.json()["errors"]] == [["body", "raters", 0, "group"]]
    assert "pals" not in wrong.json()["errors"][0]["msg"]

    raters = [
        {"email": "a@example.test", "group": "peers"},
        {"email": "b@example.test", "group": "stakeholders", "message": "Hi B"},
    ]
    created = api.call("POST", url, json={"due_date": due_in().isoformat(), "raters": raters})
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"] == f"/api/v1/feedback-requests/{body['id']}"
    assert [(i["email"], i["group"], i["status"]) for i in body["invitations"]] == [
        ("a@example.test", "peers", "invited"),
        ("b@example.test", "stakeholders", "invited"),
    ]
    assert [g["key"] for g in body["groups"]] == [
        "manager",
        "peers",
        "direct_reports",
        "stakeholders",
    ]
    assert api.ok("GET", url)["id"] == body["id"]
    request_url = f"/feedback-requests/{body['id']}"

    # A rater answers (with a comment) and submits; the API shows only the status.
    secret = link_secret(session, "a@example.test")
    rater.submit_rater_answers(
        session=session,
        secret=secret,
        expected_version=1,
        answers=AnswersIn(
            choices={"planning": "1", "review": "0"},
            comments={"planning": SECRET_COMMENT},
            keep_doing=SECRET_COMMENT,
        ),
    )
    session.commit()
    listed = api.call("GET", f"{request_url}/invitations")
    assert [i["status"] for i in listed.json()] == ["submitted", "invited"]
    for text in (listed.text, api.call("GET", request_url).text, api.call("GET", url).text):
        assert SECRET_COMMENT not in text and secret not in text
        assert "token_hash" not in text and "level" not in text

    first, second = (i["id"] for i in body["invitations"])
    stale = api.call("POST", f"/feedback-invitations/{second}/resend", json={"version": 2})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 1
    resent = api.ok("POST", f"/feedback-invitations/{second}/resend", json={"version": 1})
    assert resent["version"] == 2 and "secret" not in resent
    submitted_one = api.call("POST", f"/feedback-invitations/{first}/cancel", json={"version": 3})
    assert submitted_one.status_code == 409 and "submitted" in submitted_one.json()["detail"]
    assert api.call("POST", f"/feedback-invitations/{second}/cancel").status_code == 428
    cancelled = api.ok(
        "POST", f"/feedback-invitations/{second}/cancel", headers={"If-Match": '"2"'}
    )
    assert cancelled["status"] == "cancelled"

    more = api.ok(
        "POST",
        f"{request_url}/invitations",
        json={"version": 1, "raters": [{"email": "c@example.test", "group": "manager"}]},
    )
    assert more["version"] == 2 and len(more["invitations"]) == 3
    again = api.call(
        "POST",
        f"{request_url}/invitations",
        json={"version": 2, "raters": [{"email": "C@example.test", "group": "peers"}]},
    )
    assert again.status_code == 422  # already invited
    closed = api.ok("POST", f"{request_url}/close", json={"version": 2})
    assert closed["status"] == "closed" and closed["closed_at"]
    late = api.call("POST", f"{request_url}/close", json={"version": 3})
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    exists = api.call("POST", url, json={"due_date": due_in().isoformat(), "raters": raters})
    assert exists.status_code == 409


def test_the_participant_page_without_javascript(
    session: Session,
    make_user: UserFactory,
    submitted: SubmitFactory,
    browser_for: Callable[[User], Browser],
) -> None:
    owner = make_user()
    browser = browser_for(owner)
    assessment_id = submitted(owner)
    page_url = f"/assessments/{assessment_id}/feedback"
    start = browser.get(page_url)
    assert start.status_code == 200 and "Ask for feedback" in start.text
    results = browser.get(f"/assessments/{assessment_id}/results")
    assert f'href="{page_url}"' in results.text

    refused = browser.post(
        page_url,
        {"due_date": due_in().isoformat(), "email.0": "bad", "email.1": "ok@example.test"},
    )
    assert refused.status_code == 422
    assert 'id="email-0-error"' in refused.text and 'value="ok@example.test"' in refused.text
    sent = browser.post(
        page_url,
        {
            "due_date": due_in().isoformat(),
            "email.0": "p1@example.test",
            "group.0": "peers",
            "email.2": "m1@example.test",
            "group.2": "manager",
            "message": "Thank you",
        },
    )
    assert sent.status_code == 303 and sent.headers["location"] == page_url + "?done=started"
    shown = browser.get(sent.headers["location"])
    assert "each rater got their own link" in shown.text
    assert "p1@example.test" in shown.text and "Manager" in shown.text and "Invited" in shown.text

    state = service.find_request_of(session=session, user=owner, assessment_id=assessment_id)
    assert state is not None
    invitation = state.invitations[0]
    cancel = f"{page_url}/invitations/{invitation.id}/cancel"
    assert browser.post(cancel, {"version": "1"}).status_code == 303
    assert browser.post(cancel, {"version": "1"}).status_code == 409
    assert browser.post(f"{page_url}/close", {"version": "1"}).status_code == 303
    closed = browser.get(page_url)
    assert "Closed" in closed.text and "Cancelled" in closed.text
    assert "Invite more raters" not in closed.text
