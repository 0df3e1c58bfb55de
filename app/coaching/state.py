"""What the coaching service hands to routes and pages.

A :class:`ReviewState` is one review session with everything a page, the API
or a report needs: the assessment's stored result, the pinned rubric, the
coach's ratings and the participant's plan as the *caller* may see it.
``audience`` says who that is; the participant-facing shapes
(:mod:`app.coaching.schemas`, the participant templates) never read
``review.private_notes``.

The derived values (flags, development paths) are computed here from the pure
functions in :mod:`app.coaching.calibration`, so the API, pages and reports
cannot disagree about them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from app.accounts.models import User
from app.assessments.models import Assessment
from app.coaching.calibration import (
    BehaviorGrowth,
    Flag,
    PathStep,
    allowed_orders,
    calibration_flag,
    development_path,
    level_label,
)
from app.coaching.models import (
    ACTION_STATUS_LABELS,
    ActionStatus,
    CoachReview,
    PlanAction,
    PlanActionEvent,
    ReviewRating,
)
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import Behavior, Competency, Rubric
from app.rubrics.service import rubric_of
from app.scoring import BehaviorResult, ScoringResult


class Audience(StrEnum):
    """Who is looking: the coach side (assigned coach, admin) or the participant."""

    coach = "coach"
    participant = "participant"


@dataclass(frozen=True, slots=True)
class LevelChoice:
    """One option of a rating or target select."""

    order: int
    level_id: str | None
    name: str


@dataclass(frozen=True)
class BehaviorRow:
    """One behavior side by side: self-assessment, coach rating, target, flag, path."""

    competency: Competency
    behavior: Behavior
    result: BehaviorResult
    rating: ReviewRating | None
    choices: tuple[LevelChoice, ...]
    rubric: Rubric

    @property
    def coach_level(self) -> int | None:
        return self.rating.coach_level if self.rating else None

    @property
    def target_level(self) -> int | None:
        return self.rating.target_level if self.rating else None

    @property
    def rationale(self) -> str:
        return self.rating.rationale if self.rating else ""

    @property
    def evidence(self) -> str:
        return self.rating.evidence if self.rating else ""

    @property
    def flag(self) -> Flag | None:
        return calibration_flag(self.result.level, self.coach_level)

    @property
    def current_level(self) -> int:
        """The agreed present level: the coach's rating once given, else the self level."""
        return self.coach_level if self.coach_level is not None else self.result.level

    @cached_property
    def path(self) -> list[PathStep]:
        return development_path(
            self.rubric, self.behavior, current=self.current_level, target=self.target_level
        )

    def label(self, order: int | None) -> str:
        return level_label(self.rubric, order)


@dataclass(frozen=True)
class PlanEntry:
    """A plan action with the names a page needs and its change history (oldest first)."""

    action: PlanAction
    behavior_name: str | None
    events: list[tuple[PlanActionEvent, User | None]] = field(default_factory=list)

    @property
    def id(self) -> int:
        assert self.action.id is not None
        return self.action.id

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[ActionStatus(self.action.status)]


@dataclass(frozen=True)
class ReviewState:
    review: CoachReview
    assessment: Assessment
    rubric_version: RubricVersion
    participant: User
    coach: User | None
    ratings: dict[str, ReviewRating]
    plan: list[PlanEntry]
    audience: Audience

    @property
    def id(self) -> int:
        assert self.review.id is not None
        return self.review.id

    @property
    def version(self) -> int:
        return self.review.version

    @property
    def is_final(self) -> bool:
        return self.review.is_final

    @property
    def rubric(self) -> Rubric:
        return rubric_of(self.rubric_version)

    @cached_property
    def result(self) -> ScoringResult:
        assert self.assessment.result is not None  # reviews exist only for submitted ones
        return ScoringResult.model_validate(self.assessment.result)

    @cached_property
    def rows(self) -> list[BehaviorRow]:
        """Every behavior of the rubric, in questionnaire order."""
        rubric = self.rubric
        rows: list[BehaviorRow] = []
        for competency in rubric.competencies:
            for behavior in competency.behaviors:
                choices = tuple(
                    LevelChoice(
                        order=order,
                        level_id=next(
                            (lvl.id for lvl in rubric.levels if lvl.order == order), None
                        ),
                        name=level_label(rubric, order),
                    )
                    for order in allowed_orders(rubric, behavior)
                )
                rows.append(
                    BehaviorRow(
                        competency=competency,
                        behavior=behavior,
                        result=self.result.behavior(behavior.id),
                        rating=self.ratings.get(behavior.id),
                        choices=choices,
                        rubric=rubric,
                    )
                )
        return rows

    @property
    def flag_counts(self) -> dict[str, int]:
        counts = Counter(row.flag for row in self.rows)
        return {flag.value: counts.get(flag, 0) for flag in Flag} | {"unrated": counts.get(None, 0)}

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        """Plan action statuses as (value, label), for status selects."""
        return [(status.value, label) for status, label in ACTION_STATUS_LABELS.items()]

    @property
    def unrated(self) -> list[str]:
        return [row.behavior.id for row in self.rows if row.coach_level is None]


@dataclass(frozen=True)
class ReviewSummary:
    """A line in a list of sessions: no ratings or notes."""

    review: CoachReview
    coach: User | None
    assessment: Assessment


@dataclass(frozen=True)
class CoacheeLine:
    """A participant on the coach's home page."""

    participant: User
    latest: Assessment | None
    assessments: int
    in_progress: list[CoachReview]
    last_final: CoachReview | None


@dataclass(frozen=True)
class ParticipantOverview:
    """The coach's page about one participant: history, sessions and growth."""

    participant: User
    assessments: list[Assessment]
    reviews: list[ReviewSummary]
    growth: GrowthView
    #: Rubric titles by rubric version id, to name assessments without a title.
    rubric_titles: dict[int, str]

    def name_of(self, assessment: Assessment) -> str:
        return assessment.title or self.rubric_titles.get(assessment.rubric_version_id, "")

    def sessions_of(self, assessment: Assessment) -> list[ReviewSummary]:
        return [s for s in self.reviews if s.review.assessment_id == assessment.id]


@dataclass(frozen=True)
class GrowthView:
    participant: User
    assessments: list[Assessment]
    behaviors: list[BehaviorGrowth]
    #: The rubric of the newest assessment, for level names.
    rubric: Rubric | None

    def label(self, order: int | None) -> str:
        return level_label(self.rubric, order) if self.rubric else str(order)
