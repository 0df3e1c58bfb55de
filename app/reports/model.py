"""What a development report says, as plain frozen dataclasses.

Templates get these, never ORM rows: a template cannot lazy-load a
relationship, reach a private coach note through an attribute, or change
with the database schema. The same object is serialised canonically
(:func:`canonical_json`) to key the PDF cache, so everything that changes
the PDF is in here and nothing else is (no "generated at" timestamp: the
same assessment renders to the same report).

The *inputs* (:class:`ReviewInput`, :class:`PlanActionInput`,
:class:`HistoryPoint`) are plain too, so the assessments and coaching domains
can feed the builder (:mod:`app.reports.builder`) without this package
importing their internals. :class:`ReviewInput` deliberately has no field for
private coach notes: what is not passed in cannot be printed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.rubrics.level_ref import LevelRef
from app.rubrics.roles import BehaviorGap

# -- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewedBehavior:
    """A coach's view of one behavior, limited to what the participant may see."""

    level: int | None = None
    target: int | None = None
    #: The coach's calibration flag, shown as written (e.g. "Discuss: rated higher
    #: than observed"). When absent the report derives one from the two levels.
    calibration: str | None = None
    shared_note: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewInput:
    """A coach review as the report may show it. There is no private-notes field, on purpose."""

    coach_name: str
    reviewed_on: date | None = None
    summary: str | None = None
    behaviors: Mapping[str, ReviewedBehavior] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanActionInput:
    title: str
    behavior_id: str | None = None
    success_measure: str | None = None
    due_on: date | None = None
    status: str = "planned"


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """An earlier assessment: its date and the level each competency had then."""

    assessed_on: date
    competency_levels: Mapping[str, int]


# -- the report ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathStep:
    """One level on the way up: what it looks like and the actions that lead there."""

    level: LevelRef
    descriptor: str
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportBehavior:
    id: str
    name: str
    description: str
    self_level: LevelRef
    self_score: float
    coach_level: LevelRef | None
    target_level: LevelRef | None
    #: The level the path starts from: the coach's when reviewed, else the self-assessed one.
    reference_level: LevelRef
    #: What the behavior looks like at the reference level; None at level 0.
    current_descriptor: str | None
    #: Levels above the reference up to the target, or just the next level without one.
    path: tuple[PathStep, ...]
    calibration: str | None
    shared_note: str | None
    #: False when a higher level was demonstrated above a gap (see docs/scoring.md).
    consistent: bool
    answered: int
    total: int


@dataclass(frozen=True, slots=True)
class ReportCompetency:
    id: str
    name: str
    purpose: str
    self_level: LevelRef
    #: Only when the coach rated every behavior of the competency.
    coach_level: LevelRef | None
    behaviors: tuple[ReportBehavior, ...]


@dataclass(frozen=True, slots=True)
class Highlight:
    """A strength or a gap, for the summary page."""

    behavior_id: str
    behavior_name: str
    competency_name: str
    level: LevelRef
    detail: str


@dataclass(frozen=True, slots=True)
class PlanAction:
    title: str
    behavior_name: str | None
    success_measure: str | None
    due_on: date | None
    status: str


@dataclass(frozen=True, slots=True)
class GrowthPoint:
    assessed_on: date
    level: LevelRef


@dataclass(frozen=True, slots=True)
class GrowthSeries:
    competency_id: str
    competency_name: str
    points: tuple[GrowthPoint, ...]


@dataclass(frozen=True, slots=True)
class LevelDefinition(LevelRef):
    """A level (order and name) with what it means."""

    summary: str


@dataclass(frozen=True, slots=True)
class CompetencyLevels:
    """A competency's own description of each level (its development path)."""

    competency_name: str
    levels: tuple[LevelDefinition, ...]


@dataclass(frozen=True, slots=True)
class FeedbackFigureLine:
    """One shown group of raters on one behavior (app.feedback.aggregation.Figure, printed)."""

    label: str
    n: int
    not_observed: int
    #: Median level order (a half between two levels) and in words.
    median: float
    median_text: str
    #: Raters per level of ``ReportFeedback.level_names``, lowest first.
    distribution: tuple[int, ...]
    exempt: bool


@dataclass(frozen=True, slots=True)
class FeedbackComments:
    label: str
    comments: tuple[str, ...]
    #: Comments left out of the print (the app shows them all).
    omitted: int = 0


@dataclass(frozen=True, slots=True)
class FeedbackBehaviorPart:
    id: str
    name: str
    self_level: int | None
    coach_level: int | None
    others_median_text: str | None
    blind_spot: bool
    hidden_strength: bool
    figures: tuple[FeedbackFigureLine, ...]
    comments: tuple[FeedbackComments, ...]


@dataclass(frozen=True, slots=True)
class ReportFeedback:
    """The multi-rater feedback as the report prints it: shown aggregates only, no rater."""

    min_raters: int
    answered: int
    #: The raters' scale: level names, lowest first (index 0 = level order 1).
    level_names: tuple[str, ...]
    #: (label, raters who answered) of the groups shown.
    groups: tuple[tuple[str, int], ...]
    behaviors: tuple[FeedbackBehaviorPart, ...]
    keep_doing: tuple[FeedbackComments, ...]
    start_doing: tuple[FeedbackComments, ...]

    @property
    def shown(self) -> bool:
        return any(b.figures for b in self.behaviors)


@dataclass(frozen=True, slots=True)
class ReportData:
    #: The language the report is written in (the participant's): its fixed texts,
    #: dates and numbers. Part of the cache key, so each language is its own render.
    locale: str
    participant_name: str
    rubric_id: str
    rubric_title: str
    rubric_version: str
    assessed_on: date
    coach_name: str | None
    reviewed_on: date | None
    review_summary: str | None
    #: How a competency's level follows from its behaviors' ("median" or "minimum").
    overall_rule: str
    #: Level names by order; index 0 is "Not yet", the last is the top level.
    level_names: tuple[str, ...]
    competencies: tuple[ReportCompetency, ...]
    strengths: tuple[Highlight, ...]
    gaps: tuple[Highlight, ...]
    plan: tuple[PlanAction, ...]
    growth: tuple[GrowthSeries, ...]
    framework_levels: tuple[LevelDefinition, ...]
    competency_levels: tuple[CompetencyLevels, ...]
    #: Plan actions left out of the print (:data:`app.reports.limits.MAX_PLAN_ACTIONS`).
    plan_omitted: int = 0
    #: Multi-rater feedback, when raters answered (its own section).
    feedback: ReportFeedback | None = None
    #: The role profile the result is read against, and the gap to it per behavior
    #: (:func:`app.rubrics.roles.role_gaps`, the results page's rules).
    role_title: str | None = None
    role_gaps: tuple[BehaviorGap, ...] = ()
    #: Competencies of the rubric the questionnaire did not ask (limited to a role).
    not_assessed: tuple[str, ...] = ()

    @property
    def max_level(self) -> int:
        return len(self.level_names) - 1

    @property
    def has_targets(self) -> bool:
        return any(b.target_level for c in self.competencies for b in c.behaviors)

    @property
    def behavior_count(self) -> int:
        return sum(len(c.behaviors) for c in self.competencies)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical_json(data: ReportData) -> str:
    """The report's content as canonical JSON (sorted keys, no spaces): the cache key's input."""
    return json.dumps(
        dataclasses.asdict(data),
        default=_jsonable,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
