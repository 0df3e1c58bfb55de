"""What a report may show of coaching: a finalized review's shared parts and the agreed plan.

Plain, participant-audience data (:class:`ReportCoaching`): the review is a
:class:`~app.coaching.state.SharedReview`, which has no field for private
notes, so they cannot reach a report. The reports domain maps this onto its
own model (:mod:`app.reports.inputs`); coaching knows nothing of reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.assessments import service as assessments
from app.coaching.models import ActionStatus
from app.coaching.plan import load_plan
from app.coaching.service import shared_review_of
from app.coaching.state import Audience, PlanEntry, SharedReview
from app.core.timeutils import as_utc


@dataclass(frozen=True)
class ReportCoaching:
    #: The newest finalized review of the assessment, shared parts only; None without one.
    review: SharedReview | None
    #: Actions agreed in finalized sessions on this assessment or earlier ones, not dropped.
    plan: list[PlanEntry]


def coaching_for_report(*, session: Session, assessment_id: int) -> ReportCoaching:
    """The shared review and agreed plan of an assessment, for its report.

    The caller must already have authorized reading the assessment (the
    reports service does, through the assessments service); everything
    returned is what the participant themself may see, so it is the same for
    every viewer and the PDF cache key stays per assessment. The plan keeps
    the participant's actions agreed in finalized sessions on this
    assessment or earlier ones (with their current status), without dropped
    ones. A fixed number of statements, however long the history.
    """
    assessment = assessments.find_assessment(session=session, assessment_id=assessment_id)
    participant_id = assessment.assessment.participant_id
    cutoff = as_utc(assessment.assessment.taken_at)
    history = assessments.history_of(session=session, participant_ids=[participant_id])
    earlier = {s.id for s in history[participant_id] if as_utc(s.assessment.taken_at) <= cutoff}
    entries = load_plan(session, participant_id=participant_id, audience=Audience.participant)
    return ReportCoaching(
        review=shared_review_of(session=session, assessment=assessment),
        plan=[
            e
            for e in entries
            if e.action.assessment_id in earlier and e.action.status != ActionStatus.dropped.value
        ],
    )
