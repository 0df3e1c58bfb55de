"""The report carries a finalized coach review's shared parts, never its private note,
and a new coach rating changes the cached report's ETag."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.api import Headers
from tests.fixtures.pdf import pdf_text
from tests.fixtures.reviews import finalize_a_review
from tests.reports.conftest import SubmitFactory

PRIVATE = "PRIVATE-NOTE-7f3a: never in a report"
HOSTILE = '<b>bold</b> <img src="file:///etc/passwd"> shared remark'


def _review(
    session: Session, coach: User, assessment_id: int, *, planning: int, target: int
) -> None:
    """A whole coach session through the coaching service: rate, note, plan, finalize."""
    finalize_a_review(
        session,
        coach,
        assessment_id,
        ratings={
            "planning": {"coach_level": planning, "target_level": target},
            "review": {"coach_level": 1, "target_level": 3, "rationale": "Asks for reviews."},
        },
        shared_notes=HOSTILE,
        private_notes=PRIVATE,
        action_title="Run a weekly planning review",
        behavior_id="planning",
    )
    session.commit()


def _text(pdf: bytes, tmp_path: Path) -> str:
    return pdf_text(pdf)


def test_coach_parts_are_in_the_report_and_a_new_rating_changes_the_etag(
    client: TestClient,
    participant: User,
    coach: User,
    submitted: SubmitFactory,
    session: Session,
    headers: Headers,
    tmp_path: Path,
) -> None:
    assessment_id = submitted(participant)
    url = f"/api/v1/assessments/{assessment_id}/report.pdf"
    self_only = client.get(url, headers=headers(participant))
    assert self_only.status_code == 200

    _review(session, coach, assessment_id, planning=2, target=3)
    reviewed = client.get(url, headers=headers(participant))
    assert reviewed.status_code == 200
    assert reviewed.headers["etag"] != self_only.headers["etag"]
    text = _text(reviewed.content, tmp_path)
    assert coach.display_name in text
    assert "Run a weekly planning review" in text
    assert "<b>bold</b>" in text and 'src="file:///etc/passwd"' in text
    assert "PRIVATE-NOTE-7f3a" not in text
    html = client.get(f"/api/v1/assessments/{assessment_id}/report.html", headers=headers(coach))
    assert "PRIVATE-NOTE-7f3a" not in html.text

    _review(session, coach, assessment_id, planning=1, target=3)
    rerated = client.get(url, headers=headers(participant))
    assert rerated.headers["etag"] not in (reviewed.headers["etag"], self_only.headers["etag"])
