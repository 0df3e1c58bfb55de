"""API shapes for coaching.

Two audiences, two shapes: :class:`SharedReviewOut` is what a participant may
see of a finalized review and deliberately has **no** ``private_notes`` field,
so the private note cannot reach a participant through a forgotten filter;
:class:`CoachReviewOut` (assigned coach, admin) adds it. Plan entries and
summaries never carry notes at all.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.models import User
from app.coaching.calibration import PathStep
from app.coaching.models import ActionStatus
from app.coaching.state import (
    BehaviorRow,
    LevelChoice,
    PlanEntry,
    ReviewState,
    ReviewSummary,
)
from app.core.types import Version
from app.rubrics.api_models import RubricRefOut

#: Bounds on free text: generous for notes, but one request cannot store megabytes.
NOTE_MAX = 20_000
TEXT_MAX = 5_000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- input ---------------------------------------------------------------------------


class RatingPatch(_In):
    """Part of one behavior's rating; only the fields sent change (``null`` clears a level)."""

    coach_level: int | None = Field(default=None, ge=0)
    target_level: int | None = Field(default=None, ge=0)
    rationale: str | None = Field(default=None, max_length=TEXT_MAX)
    evidence: str | None = Field(default=None, max_length=TEXT_MAX)


class ReviewPatch(_In):
    """An autosave: some ratings and/or notes, based on ``version`` (or ``If-Match``)."""

    version: Version | None = None
    shared_notes: str | None = Field(default=None, max_length=NOTE_MAX)
    private_notes: str | None = Field(default=None, max_length=NOTE_MAX)
    #: behavior id -> the rating fields to change.
    ratings: dict[str, RatingPatch] = Field(default_factory=dict, max_length=1000)


class VersionIn(_In):
    version: Version | None = None


class SuggestionIn(_In):
    """One of the rubric's coaching actions: a behavior, a level id and the action's index."""

    behavior_id: str = Field(min_length=1, max_length=64)
    level: str = Field(min_length=1, max_length=64)
    index: int = Field(default=0, ge=0)


class PlanActionCreate(_In):
    """A new plan action: written freely (``title`` required) or from a ``suggestion``."""

    title: str | None = Field(default=None, max_length=300)
    behavior_id: str | None = Field(default=None, max_length=64)
    success_measure: str = Field(default="", max_length=TEXT_MAX)
    due_date: date | None = None
    status: ActionStatus = ActionStatus.planned
    suggestion: SuggestionIn | None = None


class PlanActionPatch(_In):
    """Some fields of a plan action. A participant may send only ``status``."""

    version: Version | None = None
    title: str | None = Field(default=None, max_length=300)
    behavior_id: str | None = Field(default=None, max_length=64)
    success_measure: str | None = Field(default=None, max_length=TEXT_MAX)
    due_date: date | None = None
    status: ActionStatus | None = None


# --- output --------------------------------------------------------------------------


class PersonOut(BaseModel):
    id: int
    display_name: str

    @classmethod
    def of(cls, user: User) -> PersonOut:
        assert user.id is not None
        return cls(id=user.id, display_name=user.display_name)

    @classmethod
    def maybe(cls, user: User | None) -> PersonOut | None:
        return cls.of(user) if user is not None else None


class LevelOut(BaseModel):
    """A level a rating or target may take: ``order`` 0 is "Not yet" (``id`` null)."""

    order: int
    id: str | None
    name: str

    @classmethod
    def of(cls, choice: LevelChoice) -> LevelOut:
        return cls(order=choice.order, id=choice.level_id, name=choice.name)


class PathStepOut(BaseModel):
    level: str
    order: int
    name: str
    descriptor: str
    #: The rubric's coaching actions for growing into this level (empty for the current one).
    actions: list[str]
    is_current: bool

    @classmethod
    def of(cls, step: PathStep) -> PathStepOut:
        return cls(
            level=step.level_id,
            order=step.order,
            name=step.name,
            descriptor=step.descriptor,
            actions=list(step.actions),
            is_current=step.is_current,
        )


class BehaviorReviewOut(BaseModel):
    behavior_id: str
    behavior_name: str
    competency_id: str
    competency_name: str
    self_level: int
    self_level_name: str
    self_score: float
    #: False when the answers broke the level pattern (a talking point).
    consistent: bool
    coach_level: int | None
    coach_level_name: str | None
    target_level: int | None
    target_level_name: str | None
    rationale: str
    evidence: str
    #: blind_spot / hidden_strength / aligned; null until the coach rates.
    flag: str | None
    levels: list[LevelOut]
    development_path: list[PathStepOut]

    @classmethod
    def of(cls, row: BehaviorRow) -> BehaviorReviewOut:
        return cls(
            behavior_id=row.behavior.id,
            behavior_name=row.behavior.name,
            competency_id=row.competency.id,
            competency_name=row.competency.name,
            self_level=row.result.level,
            self_level_name=row.result.level_name,
            self_score=row.result.score,
            consistent=row.result.consistent,
            coach_level=row.coach_level,
            coach_level_name=None if row.coach_level is None else row.label(row.coach_level),
            target_level=row.target_level,
            target_level_name=None if row.target_level is None else row.label(row.target_level),
            rationale=row.rationale,
            evidence=row.evidence,
            flag=row.flag.value if row.flag else None,
            levels=[LevelOut.of(c) for c in row.choices],
            development_path=[PathStepOut.of(s) for s in row.path],
        )


class PlanEventOut(BaseModel):
    at: datetime
    actor: PersonOut | None
    #: The field that changed, or "created".
    field: str
    old_value: str | None
    new_value: str | None


class PlanActionOut(BaseModel):
    id: int
    participant_id: int
    review_id: int
    assessment_id: int
    behavior_id: str | None
    behavior_name: str | None
    title: str
    success_measure: str
    due_date: date | None
    status: str
    from_suggestion: bool
    #: The optimistic-lock version; also the ``ETag`` of PATCH responses.
    version: int
    created_at: datetime
    updated_at: datetime
    history: list[PlanEventOut]

    @classmethod
    def of(cls, entry: PlanEntry) -> PlanActionOut:
        action = entry.action
        return cls(
            id=entry.id,
            participant_id=action.participant_id,
            review_id=action.review_id,
            assessment_id=action.assessment_id,
            behavior_id=action.behavior_id,
            behavior_name=entry.behavior_name,
            title=action.title,
            success_measure=action.success_measure,
            due_date=action.due_date,
            status=action.status,
            from_suggestion=action.from_suggestion,
            version=action.version,
            created_at=action.created_at,
            updated_at=action.updated_at,
            history=[
                PlanEventOut(
                    at=event.at,
                    actor=PersonOut.maybe(actor),
                    field=event.field,
                    old_value=event.old_value,
                    new_value=event.new_value,
                )
                for event, actor in entry.events
            ],
        )


class SharedReviewOut(BaseModel):
    """A review as its participant sees it (finalized only). No private notes, by design."""

    id: int
    assessment_id: int
    participant: PersonOut
    coach: PersonOut | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    finalized_at: datetime | None
    rubric: RubricRefOut
    shared_notes: str
    #: Counts of blind_spot, hidden_strength, aligned and unrated behaviors.
    flags: dict[str, int]
    behaviors: list[BehaviorReviewOut]
    #: The participant's development plan (the participant sees agreed actions only).
    plan: list[PlanActionOut]

    @classmethod
    def fields_of(cls, state: ReviewState) -> dict[str, object]:
        review = state.review
        return {
            "id": state.id,
            "assessment_id": review.assessment_id,
            "participant": PersonOut.of(state.participant),
            "coach": PersonOut.maybe(state.coach),
            "status": review.status,
            "version": review.version,
            "created_at": review.created_at,
            "updated_at": review.updated_at,
            "finalized_at": review.finalized_at,
            "rubric": RubricRefOut.of(state.rubric_version),
            "shared_notes": review.shared_notes,
            "flags": state.flag_counts,
            "behaviors": [BehaviorReviewOut.of(row) for row in state.rows],
            "plan": [PlanActionOut.of(entry) for entry in state.plan],
        }

    @classmethod
    def of(cls, state: ReviewState) -> SharedReviewOut:
        return cls.model_validate(cls.fields_of(state))


class CoachReviewOut(SharedReviewOut):
    """A review as its coach (or an admin) sees it: everything, private notes included."""

    private_notes: str

    @classmethod
    def of(cls, state: ReviewState) -> CoachReviewOut:
        return cls.model_validate(
            cls.fields_of(state) | {"private_notes": state.review.private_notes}
        )


class ReviewSummaryOut(BaseModel):
    id: int
    assessment_id: int
    participant_id: int
    coach: PersonOut | None
    status: str
    created_at: datetime
    updated_at: datetime
    finalized_at: datetime | None

    @classmethod
    def of(cls, summary: ReviewSummary) -> ReviewSummaryOut:
        review = summary.review
        assert review.id is not None
        return cls(
            id=review.id,
            assessment_id=review.assessment_id,
            participant_id=review.participant_id,
            coach=PersonOut.maybe(summary.coach),
            status=review.status,
            created_at=review.created_at,
            updated_at=review.updated_at,
            finalized_at=review.finalized_at,
        )


class PlanOut(BaseModel):
    participant_id: int
    actions: list[PlanActionOut]
