"""What the results and comparison pages show: levels, radar charts, development paths.

Like :mod:`app.assessments.views`, one function per page, built with the
assessments service (which checks who may read: the owner, their assigned
coaches and admins) and the shared chart geometry of
:mod:`app.charts.radar`, so the page and the PDF report draw the same radar.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.assessments.state import AssessmentState, AssessmentSummary
from app.assessments.views import newest_first
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.coaching.service import latest_shared_review
from app.coaching.state import ReviewState
from app.core.exceptions import NotFound
from app.rubrics.schemas import NOT_YET, Rubric
from app.scoring import BehaviorResult, CompetencyResult, ScoringResult

# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BehaviorView:
    result: BehaviorResult
    description: str
    next_level_name: str | None


#: A radar needs three axes to enclose an area; with fewer it is a line that reads
#: as a broken chart, so such competencies show the chart's table instead.
MIN_RADAR_AXES = 3


@dataclass(frozen=True)
class CompetencyView:
    result: CompetencyResult
    purpose: str
    chart: RadarChart
    behaviors: list[BehaviorView]

    @property
    def draw_radar(self) -> bool:
        return len(self.behaviors) >= MIN_RADAR_AXES


@dataclass(frozen=True)
class ResultsView:
    state: AssessmentState
    rubric: Rubric
    result: ScoringResult
    competencies: list[CompetencyView]
    #: Other submitted assessments of the same rubric by the same participant, newest first.
    others: list[AssessmentSummary]
    #: The finalized coach review's shared parts (coaching domain), or None.
    shared_review: ReviewState | None = None


def level_names(rubric: Rubric) -> list[str]:
    """Index k names level order k; 0 is "Not yet". Gaps in the orders get a number."""
    top = max(level.order for level in rubric.levels)
    return [NOT_YET, *(rubric.level_name(k) if k else NOT_YET for k in range(1, top + 1))]


def results_view(*, session: Session, user: User, assessment_id: int) -> ResultsView | None:
    """Results for the owner, their coaches and admins (the service checks).

    ``None`` while the assessment is in progress: there is no result yet.
    """
    state = service.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    if not state.assessment.is_submitted:
        return None
    result = service.get_result(session=session, user=user, assessment_id=assessment_id)
    rubric = state.rubric
    names = level_names(rubric)
    competencies = []
    for competency in result.competencies:
        spec = next(c for c in rubric.competencies if c.id == competency.id)
        descriptions = {b.id: b.description for b in spec.behaviors}
        chart = radar_chart(
            title=f"{competency.name}: behavior scores",
            axes=[b.name for b in competency.behaviors],
            level_names=names,
            series=[
                RadarSeriesInput("self", "Self-assessment", [b.score for b in competency.behaviors])
            ],
            id=f"radar-{competency.id}",
        )
        behaviors = [
            BehaviorView(
                result=b,
                description=descriptions.get(b.id, ""),
                next_level_name=(rubric.levels_by_id[b.next.level].name if b.next else None),
            )
            for b in competency.behaviors
        ]
        competencies.append(CompetencyView(competency, spec.purpose, chart, behaviors))
    history = service.list_assessments_for(
        session=session, user=user, participant_id=state.assessment.participant_id
    )
    others = newest_first(
        [
            s
            for s in history
            if s.assessment.is_submitted
            and s.assessment.id != state.id
            and s.rubric_version.rubric_id == state.rubric_version.rubric_id
        ]
    )
    shared = latest_shared_review(session=session, user=user, assessment_id=assessment_id)
    return ResultsView(state, rubric, result, competencies, others, shared)


# --- comparison ------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    competency: str
    behavior: str
    a: BehaviorResult | None
    b: BehaviorResult | None

    @property
    def change(self) -> int | None:
        if self.a is None or self.b is None:
            return None
        return self.b.level - self.a.level


@dataclass(frozen=True)
class CompareView:
    a: AssessmentState
    b: AssessmentState
    rows: list[CompareRow]


def compare_view(*, session: Session, user: User, a: int, b: int) -> CompareView:
    """Levels per behavior of two submitted assessments of one participant.

    Behaviors are matched by id, so two versions of a rubric compare where
    they overlap; a behavior only one of them has shows a dash on the other side.
    """
    first = service.get_assessment_for(session=session, user=user, assessment_id=a)
    second = service.get_assessment_for(session=session, user=user, assessment_id=b)
    if first.assessment.participant_id != second.assessment.participant_id:
        raise NotFound("Comparison not found")
    older, newer = sorted(
        (first, second), key=lambda s: (s.assessment.submitted_at or s.assessment.created_at, s.id)
    )
    result_a = service.get_result(session=session, user=user, assessment_id=older.id)
    result_b = service.get_result(session=session, user=user, assessment_id=newer.id)
    rows: list[CompareRow] = []
    seen: set[str] = set()
    for competency in result_b.competencies:
        for behavior in competency.behaviors:
            seen.add(behavior.id)
            rows.append(
                CompareRow(competency.name, behavior.name, _find(result_a, behavior.id), behavior)
            )
    for competency in result_a.competencies:
        for behavior in competency.behaviors:
            if behavior.id not in seen:
                rows.append(CompareRow(competency.name, behavior.name, behavior, None))
    return CompareView(older, newer, rows)


def _find(result: ScoringResult, behavior_id: str) -> BehaviorResult | None:
    try:
        return result.behavior(behavior_id)
    except KeyError:
        return None
