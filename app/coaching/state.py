"""What the coaching service hands to routes and pages.

A :class:`ReviewState` is one review session with everything a page, the API
or a report needs: the assessment's stored result, the pinned rubric, the
coach's ratings and the participant's plan as the *caller* may see it.
``audience`` says who that is. Everything is a frozen dataclass of plain
fields (``*Record`` classes are snapshots of rows, :class:`Person` of a user),
never an ORM row.

Private notes have one home: :attr:`ReviewState.private_notes`, filled for
the coach audience only. :class:`ReviewRecord` has no such field, and
:class:`SharedReview` -- what the participant's results page and reports
receive -- is built without it, by construction
(``tests/coaching/test_private_notes.py`` checks the types).

The derived values (flags, development paths) are computed here from the pure
functions in :mod:`app.coaching.calibration`, so the API, pages and reports
cannot disagree about them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property

from app.accounts.models import User
from app.assessments.state import AssessmentRecord, RubricRef
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
from app.core.records import Record, snapshot
from app.rubrics.schemas import Behavior, Competency, Rubric
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


@dataclass(frozen=True, slots=True)
class Person:
    """A user as coaching pages and shapes name them."""

    id: int
    display_name: str
    email: str

    @classmethod
    def of(cls, user: User) -> Person:
        assert user.id is not None
        return cls(id=user.id, display_name=user.display_name, email=user.email)

    @classmethod
    def maybe(cls, user: User | None) -> Person | None:
        return cls.of(user) if user is not None else None


@dataclass(frozen=True, slots=True)
class ReviewRecord(Record[CoachReview]):
    """The shared columns of a ``coach_reviews`` row. There is no private-notes field."""

    id: int
    assessment_id: int
    participant_id: int
    coach_id: int | None
    status: str
    version: int
    shared_notes: str
    created_at: datetime
    updated_at: datetime
    finalized_at: datetime | None

    @property
    def is_final(self) -> bool:
        return self.status == "final"


@dataclass(frozen=True, slots=True)
class RatingRecord(Record[ReviewRating]):
    behavior_id: str
    coach_level: int | None
    target_level: int | None
    rationale: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ActionRecord(Record[PlanAction]):
    id: int
    participant_id: int
    review_id: int
    assessment_id: int
    behavior_id: str | None
    title: str
    success_measure: str
    due_date: date | None
    status: str
    from_suggestion: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One change of a plan action, with who made it (``None``: a removed account)."""

    at: datetime
    actor: Person | None
    field: str
    old_value: str | None
    new_value: str | None

    @classmethod
    def of(cls, row: PlanActionEvent, actor: Person | None) -> EventRecord:
        return cls(
            at=row.at,
            actor=actor,
            field=row.field,
            old_value=row.old_value,
            new_value=row.new_value,
        )


@dataclass(frozen=True)
class BehaviorRow:
    """One behavior side by side: self-assessment, coach rating, target, flag, path."""

    competency: Competency
    behavior: Behavior
    result: BehaviorResult
    rating: RatingRecord | None
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

    action: ActionRecord
    behavior_name: str | None
    events: list[EventRecord] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.action.id

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[ActionStatus(self.action.status)]


@dataclass(frozen=True)
class _ReviewParts:
    """What every audience of a review may see: no private notes."""

    review: ReviewRecord
    assessment: AssessmentRecord
    rubric_version: RubricRef
    rubric: Rubric
    participant: Person
    coach: Person | None
    ratings: dict[str, RatingRecord]
    plan: list[PlanEntry]

    @property
    def id(self) -> int:
        return self.review.id

    @property
    def version(self) -> int:
        return self.review.version

    @property
    def is_final(self) -> bool:
        return self.review.is_final

    @cached_property
    def result(self) -> ScoringResult:
        result = self.assessment.stored_result
        assert result is not None  # reviews exist only for submitted assessments
        return result

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
class SharedReview(_ReviewParts):
    """A finalized review as its participant sees it (results page, reports).

    Built from the shared parts only: this type has no private-notes field.
    """


@dataclass(frozen=True)
class ReviewState(_ReviewParts):
    """A review for the caller's ``audience``; ``private_notes`` only for the coach side."""

    audience: Audience
    #: The coach's private notes; ``None`` for the participant audience (never loaded).
    private_notes: str | None = None

    def shared(self) -> SharedReview:
        """The participant's view of this review (drops the private notes)."""
        return snapshot(SharedReview, self)  # copies SharedReview's fields, nothing more


@dataclass(frozen=True)
class ReviewSummary:
    """A line in a list of sessions: no ratings or notes."""

    review: ReviewRecord
    coach: Person | None
    assessment: AssessmentRecord


@dataclass(frozen=True)
class CoacheeLine:
    """A participant on the coach's home page."""

    participant: Person
    latest: AssessmentRecord | None
    assessments: int
    in_progress: list[ReviewRecord]
    last_final: ReviewRecord | None


@dataclass(frozen=True)
class ParticipantOverview:
    """The coach's page about one participant: history, sessions and growth."""

    participant: Person
    assessments: list[AssessmentRecord]
    reviews: list[ReviewSummary]
    growth: GrowthView
    #: Rubric titles by rubric version id, to name assessments without a title.
    rubric_titles: dict[int, str]
    #: The participant's plan (all sessions), with each action's history.
    plan: list[PlanEntry] = field(default_factory=list)

    def name_of(self, assessment: AssessmentRecord) -> str:
        return assessment.title or self.rubric_titles.get(assessment.rubric_version_id, "")

    def sessions_of(self, assessment: AssessmentRecord) -> list[ReviewSummary]:
        return [s for s in self.reviews if s.review.assessment_id == assessment.id]


@dataclass(frozen=True)
class GrowthView:
    participant: Person
    assessments: list[AssessmentRecord]
    behaviors: list[BehaviorGrowth]
    #: The rubric of the newest assessment, for level names.
    rubric: Rubric | None

    def label(self, order: int | None) -> str:
        return level_label(self.rubric, order) if self.rubric else str(order)
