"""A participant's feedback request as they may take it away (GDPR Art. 15/20).

The request (dates, status, message) with how many raters of each group were
asked and answered, and the results exactly as shown to the participant
(aggregates under the anonymity threshold rules, docs/feedback.md). Never a
rater's individual answers, and no rater addresses: those are the raters'
personal data, not the participant's. The caller (``app.privacy``) has
authorized the assessment.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlmodel import Session

from app.assessments.state import AssessmentState
from app.feedback import repository
from app.feedback.results import feedback_results_of
from app.feedback.results_schemas import FeedbackResultsOut


def feedback_export_of(*, session: Session, state: AssessmentState) -> dict[str, Any] | None:
    """The assessment's request and shown results, or ``None`` when no feedback was asked."""
    row = repository.request_of_assessment(session, assessment_id=state.id)
    if row is None or row.id is None:
        return None
    invitations = repository.invitations_of(session, request_id=row.id)
    counts = Counter((i.group, i.status) for i in invitations)
    results = feedback_results_of(session=session, state=state)
    return {
        "request": {
            "id": row.id,
            "assessment_id": row.assessment_id,
            "status": row.status,
            "due_date": row.due_date,
            "message": row.message,
            "created_at": row.created_at,
            "closed_at": row.closed_at,
            "raters": [
                {"group": group, "status": status, "count": n}
                for (group, status), n in sorted(counts.items())
            ],
        },
        "results": FeedbackResultsOut.of(results).model_dump(mode="json"),
    }
