"""The feedback results of an assessment, as every audience may see them.

:func:`get_feedback_results` authorizes (the owner, their assigned coaches
and admins; anyone else 404, through the assessments service), reads the
submitted raters' answers through
:func:`app.feedback.repository.load_rater_responses` (the only reader of raw
answers) and hands them straight to the pure aggregation
(:mod:`app.feedback.aggregation`). What comes back, :class:`FeedbackResults`,
holds only shown aggregates: no answer of a rater, no rater's identity, and
raters' counts only for groups that are shown. Pages, the PDF, the API and
the CSV export all take this one value, so none can show more.

The coach's levels live in the coaching domain, one layer up: callers there
pass them in (``coach_levels``); without them the coach column is empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.state import AssessmentState, AssessmentSummary
from app.audit.actions import Action, Target
from app.audit.service import record_viewed
from app.core.config import Settings, get_settings
from app.feedback import repository
from app.feedback.aggregation import (
    BehaviorScale,
    FeedbackAggregate,
    FeedbackRules,
    ScaleLevel,
    aggregate_feedback,
)
from app.feedback.responses import RaterResponse
from app.rubrics.schemas import Rubric
from app.scoring import ScoringResult


@dataclass(frozen=True, slots=True)
class FeedbackResults:
    """The shown feedback of one assessment: the aggregates and what they belong to."""

    assessment_id: int
    participant_id: int
    rubric_id: str
    rubric_version: str
    aggregate: FeedbackAggregate

    @property
    def has_figures(self) -> bool:
        return self.aggregate.has_figures


def feedback_rules(settings: Settings | None = None) -> FeedbackRules:
    """The aggregation rules from ``STEPWISE_FEEDBACK_*`` (groups, threshold, manager)."""
    settings = settings or get_settings()
    return FeedbackRules(
        groups=settings.feedback_group_labels,
        min_raters=settings.feedback_min_raters,
        show_manager=settings.feedback_show_manager,
    )


def behavior_scales(rubric: Rubric) -> list[BehaviorScale]:
    """Every key behavior in questionnaire order, on the framework's levels.

    Raters' level indices are 0-based in the rubric's ordered levels
    (:class:`~app.feedback.responses.RaterResponse`), so each behavior's scale
    is the whole framework: index 0 is the lowest level.
    """
    scale = tuple(ScaleLevel(level.order, level.name) for level in rubric.ordered_levels)
    return [
        BehaviorScale(behavior.id, behavior.name, scale)
        for competency in rubric.competencies
        for behavior in competency.behaviors
    ]


def self_levels_of(result: ScoringResult | None) -> dict[str, int | None]:
    """The participant's own level (order, 0 = not yet) per behavior, from the stored result."""
    if result is None:
        return {}
    return {
        behavior.id: behavior.level
        for competency in result.competencies
        for behavior in competency.behaviors
    }


def build_feedback_results(
    *,
    state: AssessmentState,
    responses: list[RaterResponse],
    coach_levels: Mapping[str, int | None] | None = None,
    rules: FeedbackRules | None = None,
) -> FeedbackResults:
    """Aggregate ``responses`` for an assessment the caller may see (pure; for tests too)."""
    return FeedbackResults(
        assessment_id=state.assessment.id,
        participant_id=state.assessment.participant_id,
        rubric_id=state.rubric_version.rubric_id,
        rubric_version=state.rubric_version.version,
        aggregate=aggregate_feedback(
            responses=responses,
            behaviors=behavior_scales(state.rubric),
            rules=rules or feedback_rules(),
            self_levels=self_levels_of(state.result),
            coach_levels=coach_levels,
        ),
    )


def feedback_results_of(
    *,
    session: Session,
    state: AssessmentState,
    coach_levels: Mapping[str, int | None] | None = None,
) -> FeedbackResults:
    """The results of an assessment the caller has already authorized (pages one layer up)."""
    responses = repository.load_rater_responses(session, assessment_id=state.assessment.id)
    return build_feedback_results(state=state, responses=responses, coach_levels=coach_levels)


def get_feedback_results(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    coach_levels: Mapping[str, int | None] | None = None,
) -> FeedbackResults:
    """The shown feedback for the owner, their assigned coaches and admins; 404 otherwise."""
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    record_viewed(
        session=session,
        viewer_id=user.id,
        action=Action.feedback_viewed,
        subject_user_id=state.assessment.participant_id,
        target_type=Target.assessment,
        target_id=state.id,
    )
    return feedback_results_of(session=session, state=state, coach_levels=coach_levels)


def others_medians_of(
    *, session: Session, summaries: Sequence[AssessmentSummary]
) -> dict[int, dict[str, float | None]]:
    """Per assessment, the others' median per behavior where shown (growth over time).

    For assessments the caller has authorized; three statements however many.
    A behavior without a shown figure, and an assessment without raters, get
    no value (absent), exactly as their results pages show none.
    """
    loaded = repository.load_rater_responses_of(
        session, assessment_ids=[summary.id for summary in summaries]
    )
    rules = feedback_rules()
    medians: dict[int, dict[str, float | None]] = {}
    for summary in summaries:
        responses = loaded.get(summary.id)
        if not responses:
            continue
        aggregate = aggregate_feedback(
            responses=responses, behaviors=behavior_scales(summary.rubric), rules=rules
        )
        medians[summary.id] = {
            b.id: b.others_median for b in aggregate.behaviors if b.others_median is not None
        }
    return medians
