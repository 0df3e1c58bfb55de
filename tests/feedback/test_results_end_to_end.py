"""From invitations to results: raters invited and answering through part 1's services.

Seven raters in three groups are invited through :func:`app.feedback.service.start_request`
(their links read back from the outbox), answer and submit through their links
(:func:`app.feedback.rater.submit_rater_answers`); the results page, the API
and the PDF then show the shown aggregates, and never the lone manager.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.feedback.rater import AnswersIn, submit_rater_answers
from tests.fixtures.api import Api, Headers
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.feedback import open_request
from tests.fixtures.feedback_raters import MINI_RATERS, Rater
from tests.fixtures.pdf import pdf_text
from tests.fixtures.web import Browser


def _answers(rater: Rater) -> AnswersIn:
    return AnswersIn(
        choices={
            bid: "not_observed" if level is None else str(level)
            for bid, level in rater.levels.items()
        },
        comments=dict(rater.comments),
        keep_doing=rater.keep_doing,
        start_doing=rater.start_doing,
    )


def test_invited_raters_answers_reach_page_api_and_pdf(
    session: Session,
    client: TestClient,
    submitted: SubmitFactory,
    participant: User,
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
    headers: Headers,
) -> None:
    aid = submitted(participant)
    emails = {f"rater{i}@example.test": rater for i, rater in enumerate(MINI_RATERS)}
    _, secrets = open_request(
        session,
        user=participant,
        assessment_id=aid,
        raters={email: rater.group for email, rater in emails.items()},
    )
    # Before anyone answers: nothing to show.
    empty = api_for(participant).ok("GET", f"/assessments/{aid}/feedback/results")
    assert empty["answered"] == 0
    for email, rater in emails.items():
        outcome = submit_rater_answers(
            session=session, secret=secrets[email], expected_version=1, answers=_answers(rater)
        )
        assert outcome.missing == []
    session.commit()

    body = api_for(participant).ok("GET", f"/assessments/{aid}/feedback/results")
    assert body["answered"] == 7
    planning, review = body["behaviors"]
    assert [(f["key"], f["n"]) for f in planning["figures"]] == [
        ("peers", 3),
        ("stakeholders", 3),
        ("all", 6),
    ]
    assert [f["key"] for f in review["figures"]] == ["stakeholders", "others", "all"]

    page = browser_for(participant).get(f"/assessments/{aid}/results").text
    assert "Feedback from others" in page and "Plans are clear" in page

    pdf = client.get(f"/api/v1/assessments/{aid}/report.pdf", headers=headers(participant))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "Feedback from others" in text and "Others (median): Practitioner" in text

    for where in (str(body), page, text):
        assert "MANAGER-ONLY" not in where
        assert "rater0@example.test" not in where
