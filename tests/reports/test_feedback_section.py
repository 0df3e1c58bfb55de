"""The PDF's feedback section, read back as text: shown groups, chart, comments, no rater."""

from __future__ import annotations

from sqlmodel import Session

from tests.fixtures.feedback_raters import MINI_RATERS, store_raters
from tests.fixtures.pdf import pdf_text
from tests.reports.conftest import AssessmentReport


def _pdf(report: AssessmentReport) -> bytes:
    response = report.pdf()
    assert response.status_code == 200, response.text
    return response.content


def test_the_pdf_has_a_feedback_section_with_the_shown_aggregates(
    report: AssessmentReport, session: Session
) -> None:
    before = _pdf(report)
    assert "Feedback from others" not in pdf_text(before)

    store_raters(session, assessment_id=report.assessment_id, raters=MINI_RATERS)
    pdf = _pdf(report)

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
