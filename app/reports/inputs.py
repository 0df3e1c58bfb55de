"""Coaching's report data mapped onto the report's own inputs (:mod:`app.reports.model`).

The coaching domain hands out plain, participant-audience data
(:func:`app.coaching.report_inputs.coaching_for_report`); this module is the
one place where it becomes :class:`~app.reports.model.ReviewInput` and
:class:`~app.reports.model.PlanActionInput`. Neither has a field for private
notes, and the coaching data has none to give.
"""

from __future__ import annotations

from app.coaching.calibration import FLAG_LABELS, Flag, behaviors_by_id, calibration_flag
from app.coaching.report_inputs import ReportCoaching
from app.coaching.state import SharedReview
from app.core.timeutils import as_utc
from app.reports.model import PlanActionInput, ReviewedBehavior, ReviewInput
from app.rubrics.schemas import Rubric


def review_input(review: SharedReview) -> ReviewInput:
    """The report's view of a finalized review: ratings, targets, flags and shared notes."""
    finalized = review.review.finalized_at
    return ReviewInput(
        coach_name=review.coach.display_name if review.coach else "Your coach",
        reviewed_on=as_utc(finalized).date() if finalized else None,
        summary=review.review.shared_notes.strip() or None,
        behaviors={
            row.behavior.id: ReviewedBehavior(
                level=row.coach_level,
                target=row.target_level,
                calibration=calibration_text(row.result.level, row.coach_level),
                shared_note="\n".join(
                    text
                    for text in (row.rationale, row.evidence and f"Evidence: {row.evidence}")
                    if text
                )
                or None,
            )
            for row in review.rows
            if row.rating is not None
        },
    )


def report_inputs(
    coaching: ReportCoaching, rubric: Rubric
) -> tuple[ReviewInput | None, list[PlanActionInput]]:
    """The review and plan inputs of a report on an assessment of ``rubric``.

    A behavior the rubric does not know (an action from an older rubric
    version) is passed without its link.
    """
    known = behaviors_by_id(rubric)
    plan = [
        PlanActionInput(
            title=e.action.title,
            behavior_id=e.action.behavior_id if e.action.behavior_id in known else None,
            success_measure=e.action.success_measure or None,
            due_on=e.action.due_date,
            status=e.action.status,
        )
        for e in coaching.plan
    ]
    return (review_input(coaching.review) if coaching.review else None), plan


def calibration_text(self_level: int, coach_level: int | None) -> str | None:
    """The flag as the report prints it: named like on the pages, with the distance."""
    flag = calibration_flag(self_level, coach_level)
    if flag is None or flag is Flag.aligned or coach_level is None:
        return None
    diff = abs(self_level - coach_level)
    side = "above" if flag is Flag.blind_spot else "below"
    levels = "level" if diff == 1 else "levels"
    return f"{FLAG_LABELS[flag]}: self-assessment {diff} {levels} {side} the coach's rating"
