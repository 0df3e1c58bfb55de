"""What a report shows of coaching: a finalized review's shared parts and the agreed plan.

The reports domain takes plain inputs (:mod:`app.reports.model`); this module
is the one place where coaching rows become them, so private notes cannot
reach a report: ``ReviewInput`` has no field for them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.coaching import access
from app.coaching.calibration import FLAG_LABELS, Flag, behaviors_by_id, calibration_flag
from app.coaching.models import ActionStatus
from app.coaching.plan import load_plan
from app.coaching.service import review_state
from app.coaching.state import Audience
from app.core.timeutils import as_utc
from app.reports.model import PlanActionInput, ReviewedBehavior, ReviewInput


def report_review_inputs(
    *, session: Session, assessment: Assessment
) -> tuple[ReviewInput | None, list[PlanActionInput]]:
    """The latest *finalized* review of an assessment and the agreed plan, as report inputs.

    Only shared parts leave this function: ``ReviewInput`` has no field for
    private notes. The caller must already have authorized reading the
    assessment (the reports service does, through the assessments service);
    everything returned is what the participant themself may see, so it is
    the same for every viewer and the PDF cache key stays per assessment.

    The plan is the participant's actions agreed in finalized sessions on
    this assessment or earlier ones (with their current status), without
    dropped ones. A behavior the assessment's rubric does not know (an
    action from an older rubric version) is passed without its link.
    """
    assert assessment.id is not None
    rubric = access.rubric_for(session, assessment)
    known = behaviors_by_id(rubric)
    review = access.latest_final(session, assessment.id)
    review_input: ReviewInput | None = None
    if review is not None and review.id is not None:
        state = review_state(session, review, Audience.participant)
        review_input = ReviewInput(
            coach_name=state.coach.display_name if state.coach else "Your coach",
            reviewed_on=as_utc(review.finalized_at).date() if review.finalized_at else None,
            summary=review.shared_notes.strip() or None,
            behaviors={
                row.behavior.id: ReviewedBehavior(
                    level=row.coach_level,
                    target=row.target_level,
                    calibration=_calibration_text(row.result.level, row.coach_level),
                    shared_note="\n".join(
                        text
                        for text in (row.rationale, row.evidence and f"Evidence: {row.evidence}")
                        if text
                    )
                    or None,
                )
                for row in state.rows
                if row.rating is not None
            },
        )
    cutoff = assessment.submitted_at or assessment.created_at
    earlier = {
        a.id
        for a in session.exec(
            select(Assessment).where(col(Assessment.participant_id) == assessment.participant_id)
        )
        if as_utc(a.submitted_at or a.created_at) <= as_utc(cutoff)
    }
    entries = load_plan(
        session, participant_id=assessment.participant_id, audience=Audience.participant
    )
    plan = [
        PlanActionInput(
            title=e.action.title,
            behavior_id=e.action.behavior_id if e.action.behavior_id in known else None,
            success_measure=e.action.success_measure or None,
            due_on=e.action.due_date,
            status=e.action.status,
        )
        for e in entries
        if e.action.assessment_id in earlier and e.action.status != ActionStatus.dropped.value
    ]
    return review_input, plan


def _calibration_text(self_level: int, coach_level: int | None) -> str | None:
    """The flag as the report prints it: named like on the pages, with the distance."""
    flag = calibration_flag(self_level, coach_level)
    if flag is None or flag is Flag.aligned or coach_level is None:
        return None
    diff = abs(self_level - coach_level)
    side = "above" if flag is Flag.blind_spot else "below"
    levels = "level" if diff == 1 else "levels"
    return f"{FLAG_LABELS[flag]}: self-assessment {diff} {levels} {side} the coach's rating"
