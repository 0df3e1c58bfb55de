"""API shapes for coaching.

The shapes are filled from the plain dicts of :mod:`app.coaching.documents`
(the one definition, also used for conflicts). Two audiences, two shapes:
:class:`SharedReviewOut` is what a participant may see of a finalized review
and deliberately has **no** ``private_notes`` field, so the private note
cannot reach a participant through a forgotten filter;
:class:`CoachReviewOut` (assigned coach, admin) adds it. Plan entries and
summaries never carry notes at all.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.coaching.documents import plan_entry_document, review_document
from app.coaching.models import ActionStatus
from app.coaching.state import Person, PlanEntry, ReviewState, ReviewSummary
from app.core.api_schemas import RowOut, from_row
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


class PersonOut(RowOut[Person]):
    id: int
    display_name: str

    @classmethod
    def maybe(cls, person: Person | None) -> PersonOut | None:
        return cls.of(person) if person is not None else None


class LevelOut(BaseModel):
    """A level a rating or target may take: ``order`` 0 is "Not yet" (``id`` null)."""

    order: int
    id: str | None
    name: str


class PathStepOut(BaseModel):
    level: str
    order: int
    name: str
    descriptor: str
    #: The rubric's coaching actions for growing into this level (empty for the current one).
    actions: list[str]
    is_current: bool


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
        return cls.model_validate(plan_entry_document(entry))


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
    def of(cls, state: ReviewState) -> SharedReviewOut:
        return cls.model_validate(review_document(state, coach_shape=False))


class CoachReviewOut(SharedReviewOut):
    """A review as its coach (or an admin) sees it: everything, private notes included."""

    private_notes: str

    @classmethod
    def of(cls, state: ReviewState) -> CoachReviewOut:
        return cls.model_validate(review_document(state, coach_shape=True))


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
        return from_row(cls, summary.review, coach=PersonOut.maybe(summary.coach))


class PlanOut(BaseModel):
    participant_id: int
    actions: list[PlanActionOut]
