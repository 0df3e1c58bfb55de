"""The PDF's feedback section, read back as text: shown groups, chart, comments, no rater."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.api import Headers
from tests.fixtures.feedback_raters import MINI_RATERS, store_raters
from tests.fixtures.pdf import pdf_text
from tests.reports.conftest import SubmitFactory


def _pdf(client: TestClient, assessment_id: int, headers: dict[str, str]) -> bytes:
    response = client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", headers=headers)
    assert response.status_code == 200, response.text
    return response.content


def test_the_pdf_has_a_feedback_section_with_the_shown_aggregates(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
) -> None:
    assessment_id = submitted(participant)
    before = _pdf(client, assessment_id, headers(participant))
    assert "Feedback from others" not in pdf_text(before)

    store_raters(session, assessment_id=assessment_id, raters=MINI_RATERS)
    pdf = _pdf(client, assessment_id, headers(participant))

    assert pdf != before  # the feedback is part of the cache key
    text = pdf_text(pdf)
    section = text[text.index("Feedback from others") :]
    assert "Answered: Peers 3, Stakeholders 3." in section
    assert "Others (median): Practitioner" in section
    assert "Peers (3)" in section  # the chart's row label
    assert "Comments: Peers Plans are clear" in section
    assert "Hidden strength:" in section
    assert "Keep doing" in section and "Keep sharing" in section
    assert "MANAGER-ONLY" not in text and "@example.test" not in text
