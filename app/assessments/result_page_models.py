"""What the results and comparison pages show: levels, radar charts: pure builders.

Like :mod:`app.assessments.page_models`, plain inputs (what the service
returned; it checks who may read: the owner, their assigned coaches and
admins) to the dataclass a template renders, with the shared chart geometry
of :mod:`app.charts.radar`, so the page and the PDF report draw the same
radar. The results page itself is composed in the coaching domain
(:mod:`app.coaching.results_page`), which adds the shared coach review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from app.assessments.page_models import newest_first
from app.assessments.state import AssessmentState, AssessmentSummary
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.rubrics.roles import BehaviorGap, role_gaps
from app.rubrics.schemas import NOT_YET, Role, Rubric
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
    behaviors: list[BehaviorView]
    #: Index k names level order k (:func:`level_names`): the radar's rings.
    level_names: Sequence[str]

    @property
    def draw_radar(self) -> bool:
        return len(self.behaviors) >= MIN_RADAR_AXES

    @cached_property
    def chart(self) -> RadarChart:
        """The self scores' radar, drawn when first read: once a review adds the coach's
        and the target levels the page draws the outlook's radar instead, and this one
        (about 2 ms of CPU for four competencies) would be thrown away."""
        competency = self.result
        return radar_chart(
            title=f"{competency.name}: behavior scores",
            axes=[b.name for b in competency.behaviors],
            level_names=self.level_names,
            series=[
                RadarSeriesInput("self", "Self-assessment", [b.score for b in competency.behaviors])
            ],
            id=f"radar-{competency.id}",
        )


@dataclass(frozen=True)
class ResultsView:
    state: AssessmentState
    rubric: Rubric
    result: ScoringResult
    competencies: list[CompetencyView]
    #: Other submitted assessments of the same rubric by the same participant, newest first.
    others: list[AssessmentSummary]
    #: Role choices, the gap to the picked role and what was not assessed.
    role_view: RoleView | None = None


@dataclass(frozen=True)
class RoleView:
    """A result read against a role profile: shared by the results page and the PDF report."""

    #: The roles of the pinned rubric one may pick, and the one picked.
    roles: list[Role]
    role: Role | None
    #: The gap per behavior of the picked role's competencies (empty without a role).
    gaps: list[BehaviorGap]
    #: Names of the pinned rubric's competencies the questionnaire did not ask.
    not_assessed: list[str]


def build_role_view(state: AssessmentState, result: ScoringResult) -> RoleView:
    """The role part of a submitted assessment's result; the gap rules are :func:`role_gaps`."""
    pinned = state.pinned_rubric or state.rubric
    assessed = {c.id for c in result.competencies}
    role = state.role
    return RoleView(
        roles=list(pinned.roles),
        role=role,
        gaps=role_gaps(pinned, role, result.behavior_levels) if role else [],
        not_assessed=[c.name for c in pinned.competencies if c.id not in assessed],
    )


def level_names(rubric: Rubric) -> list[str]:
    """Index k names level order k; 0 is "Not yet". Gaps in the orders get a number."""
    top = max(level.order for level in rubric.levels)
    return [NOT_YET, *(rubric.level_name(k) if k else NOT_YET for k in range(1, top + 1))]


def build_results(state: AssessmentState, history: list[AssessmentSummary]) -> ResultsView | None:
    """The results of a submitted assessment, with its participant's ``history`` to compare.

    ``None`` while the assessment is in progress: there is no result yet.
    """
    result = state.result
    if not state.assessment.is_submitted or result is None:
        return None
    rubric = state.rubric
    names = level_names(rubric)
    competencies = []
    for competency in result.competencies:
        spec = next(c for c in rubric.competencies if c.id == competency.id)
        descriptions = {b.id: b.description for b in spec.behaviors}
        behaviors = [
            BehaviorView(
                result=b,
                description=descriptions.get(b.id, ""),
                next_level_name=(rubric.levels_by_id[b.next.level].name if b.next else None),
            )
            for b in competency.behaviors
        ]
        competencies.append(CompetencyView(competency, spec.purpose, behaviors, names))
    others = newest_first(
        [
            s
            for s in history
            if s.assessment.is_submitted
            and s.assessment.id != state.id
            and s.rubric_version.rubric_id == state.rubric_version.rubric_id
        ]
    )
    return ResultsView(state, rubric, result, competencies, others, build_role_view(state, result))


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


def build_compare(older: AssessmentState, newer: AssessmentState) -> CompareView:
    """Levels per behavior of two submitted assessments (from ``service.get_comparison``).

    Behaviors are matched by id, so two versions of a rubric compare where
    they overlap; a behavior only one of them has shows a dash on the other side.
    """
    result_a, result_b = older.result, newer.result
    assert result_a is not None and result_b is not None  # the service checked
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
