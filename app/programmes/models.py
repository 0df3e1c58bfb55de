"""Cohorts, their members, assessment cycles and each member's part in a cycle.

A cohort is a named group of participants ("PO guild, Berlin"); each member
may have a coach, and the coach is *also* assigned through the accounts
domain (``coach_assignments``), so the existing access policy is what lets
the coach see the member's assessments: ``coach_id`` here records which coach
the programme chose, for the dashboards.

A cycle joins a cohort and one pinned rubric version (``rubric_version_id``
names the rubric id and version, as assessments do) with its dates. Opening
it creates one :class:`CycleParticipation` per member with the assessment
made for them; ``invited_at`` and ``reminded_at`` record the mails sent, so
each member is invited and reminded at most once, whichever worker runs the
job. Statuses move one way: draft → open → closed.

``version`` is the optimistic lock of the editable rows (app.core.versioning).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field

from app.core.columns import (
    IdRow,
    id_reference,
    optional_timestamp,
    text_column,
    timestamp,
    timestamp_now,
)
from app.core.constraints import status_check, version_check

#: Longest cohort / cycle name and cohort description accepted (docs/programmes.md).
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
#: Reminder lead time bounds, in days before ``closes_at``.
MAX_REMINDER_DAYS = 60


class CycleStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class Cohort(IdRow, table=True):
    __tablename__ = "cohorts"
    __table_args__ = (
        version_check("cohorts"),
        # The admin list sorts by name, then id (keyset pagination).
        Index("ix_cohorts_name_id", "name", "id"),
    )

    name: str = Field(max_length=MAX_NAME_LENGTH)
    description: str = text_column(default="")
    #: Optimistic lock: starts at 1, +1 on every change (app.core.versioning).
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()


class CohortMember(IdRow, table=True):
    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_cohort_user"),
        # Members are listed per cohort in id order (keyset on id).
        Index("ix_cohort_members_cohort_id_id", "cohort_id", "id"),
    )

    cohort_id: int = id_reference("cohorts.id")
    user_id: int = id_reference("users.id", index=True)
    #: The member's coach in this programme; NULL when none (or the coach's account went).
    coach_id: int | None = id_reference("users.id", ondelete="SET NULL", index=True)
    added_at: datetime = timestamp_now()


class Cycle(IdRow, table=True):
    __tablename__ = "cycles"
    __table_args__ = (
        status_check("cycles", CycleStatus),
        version_check("cycles"),
        CheckConstraint("closes_at > opens_at", name="ck_cycles_dates"),
        CheckConstraint(
            f"reminder_days >= 0 AND reminder_days <= {MAX_REMINDER_DAYS}",
            name="ck_cycles_reminder_days",
        ),
        # The periodic job looks for due cycles by status and date.
        Index("ix_cycles_status_opens_at", "status", "opens_at"),
        Index("ix_cycles_status_closes_at", "status", "closes_at"),
        # Lists: per cohort, newest opening first (keyset on opens_at, id).
        Index("ix_cycles_cohort_id_opens_at_id", "cohort_id", "opens_at", "id"),
        Index("ix_cycles_opens_at_id", "opens_at", "id"),
    )

    name: str = Field(max_length=MAX_NAME_LENGTH)
    cohort_id: int = id_reference("cohorts.id")
    #: The pinned rubric version (rubric id + version). Never deleted, so no cascade.
    rubric_version_id: int = id_reference("rubric_versions.id", ondelete=None, index=True)
    opens_at: datetime = timestamp()
    closes_at: datetime = timestamp()
    #: Whether a member may still submit after ``closes_at`` (once the cycle is closed).
    accept_late: bool = Field(default=False)
    #: When coaches should have finalized their reviews; informational.
    review_deadline: datetime | None = optional_timestamp()
    #: Whether the cycle has a feedback phase (peer feedback, part 2 of issue #15).
    feedback_phase: bool = Field(default=False)
    #: Remind members who have not submitted this many days before ``closes_at``; 0 = never.
    reminder_days: int = Field(default=3)
    status: str = Field(default=CycleStatus.draft.value, max_length=16)
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()
    opened_at: datetime | None = optional_timestamp()
    closed_at: datetime | None = optional_timestamp()


class CycleParticipation(IdRow, table=True):
    """One member's part in one cycle: the assessment made for them and the mails sent."""

    __tablename__ = "cycle_participations"
    __table_args__ = (
        UniqueConstraint("cycle_id", "user_id", name="uq_cycle_participations_cycle_user"),
        # The dashboard lists a cycle's participations in id order (keyset on id).
        Index("ix_cycle_participations_cycle_id_id", "cycle_id", "id"),
    )

    cycle_id: int = id_reference("cycles.id")
    user_id: int = id_reference("users.id", index=True)
    #: The assessment opened for this cycle; NULL if the participant discarded it.
    assessment_id: int | None = id_reference("assessments.id", ondelete="SET NULL", index=True)
    invited_at: datetime | None = optional_timestamp()
    reminded_at: datetime | None = optional_timestamp()
