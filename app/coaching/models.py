"""Coach review sessions, the coach's per-behavior ratings, and the development plan.

A review is one session between a coach and a participant about one submitted
assessment; a participant can have many over time, each kept with its dates.
``participant_id`` is copied from the assessment so access checks need no
join. ``version`` is the optimistic lock, bumped by a conditional
``UPDATE ... WHERE version = :expected`` on every change, as for assessments.

``private_notes`` belongs to the coach alone: the participant-facing schemas
(:mod:`app.coaching.schemas`) have no such field, so it cannot leak through
the API, pages or reports by accident.

Plan actions belong to the participant, not to a session: a later session
edits the same plan. ``review_id`` records the session an action was agreed
in (the participant sees it once that session is finalized), and every
change is written to ``plan_action_events`` so the coach sees who changed
what, when.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, text
from sqlmodel import Field, SQLModel

from app.core.columns import (
    IdRow,
    id_reference,
    optional_timestamp,
    text_column,
    timestamp_now,
)
from app.core.constraints import status_check, version_check
from app.core.i18n import N_


class ReviewStatus(StrEnum):
    draft = "draft"
    final = "final"


class ActionStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


#: Marked for the catalog, translated where the locale is known (``_(label)`` in templates).
ACTION_STATUS_LABELS = {
    ActionStatus.planned: N_("Planned"),
    ActionStatus.in_progress: N_("In progress"),
    ActionStatus.done: N_("Done"),
    ActionStatus.dropped: N_("Dropped"),
}

_DRAFT = text("status = 'draft'")


class CoachReview(IdRow, table=True):
    __tablename__ = "coach_reviews"
    __table_args__ = (
        status_check("coach_reviews", ReviewStatus),
        version_check("coach_reviews"),
        # At most one session in progress per assessment, even when two
        # requests start one at the same moment (the second gets a 409).
        Index(
            "uq_coach_reviews_one_draft",
            "assessment_id",
            unique=True,
            sqlite_where=_DRAFT,
            postgresql_where=_DRAFT,
        ),
    )

    assessment_id: int = id_reference("assessments.id", index=True)
    participant_id: int = id_reference("users.id", index=True)
    #: Who held the session. Kept (as NULL) if the coach's account is removed,
    #: because the review is the participant's record, not the coach's.
    coach_id: int | None = id_reference("users.id", ondelete="SET NULL", index=True)
    status: str = Field(default=ReviewStatus.draft.value, max_length=16)
    version: int = Field(default=1)
    shared_notes: str = text_column(default="")
    private_notes: str = text_column(default="")
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()
    finalized_at: datetime | None = optional_timestamp()

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.final.value


class ReviewRating(SQLModel, table=True):
    """The coach's view of one behavior in one session; absent until something is set."""

    __tablename__ = "review_ratings"

    review_id: int = id_reference("coach_reviews.id", primary_key=True)
    behavior_id: str = Field(sa_column=Column(String(64), primary_key=True))
    #: A level order: 0 ("Not yet") or a level the behavior defines; NULL = not rated yet.
    coach_level: int | None = Field(default=None)
    #: The agreed target level order; NULL = none agreed.
    target_level: int | None = Field(default=None)
    rationale: str = text_column(default="")
    evidence: str = text_column(default="")


class PlanAction(IdRow, table=True):
    __tablename__ = "plan_actions"
    __table_args__ = (
        status_check("plan_actions", ActionStatus),
        version_check("plan_actions"),
    )

    participant_id: int = id_reference("users.id", index=True)
    #: The session the action was agreed in.
    review_id: int = id_reference("coach_reviews.id", index=True)
    assessment_id: int = id_reference("assessments.id", index=True)
    behavior_id: str | None = Field(default=None, max_length=64)
    title: str = Field(max_length=300)
    success_measure: str = text_column(default="")
    due_date: date | None = Field(default=None)
    status: str = Field(default=ActionStatus.planned.value, max_length=16)
    #: Created from one of the rubric's coaching actions rather than written freely.
    from_suggestion: bool = Field(default=False)
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()


class PlanActionEvent(IdRow, table=True):
    """One field of one plan action changed (or the action was created: field "created")."""

    __tablename__ = "plan_action_events"

    action_id: int = id_reference("plan_actions.id", index=True)
    actor_id: int | None = id_reference("users.id", ondelete="SET NULL")
    at: datetime = timestamp_now()
    field: str = Field(max_length=32)
    old_value: str | None = text_column(default=None)
    new_value: str | None = text_column(default=None)
