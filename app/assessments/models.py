"""Assessments and their autosaved answers.

An assessment pins one stored rubric version (``rubric_versions`` row), so
editing a rubric file never changes a questionnaire in progress or an old
result. ``version`` is the optimistic lock: every change bumps it with a
conditional ``UPDATE ... WHERE version = :expected``, which is atomic across
workers and machines (see :mod:`app.assessments.service`).

Answers live one row per item, so saving a few items touches only those rows
and two browser tabs that answer different items never overwrite each other.
Values are text (``"1"``..``"5"``, ``"n/a"``): the scale is the rubric's
business, and the scoring module's validator checks it before anything is
stored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String, false
from sqlmodel import Field, SQLModel

from app.core.columns import IdRow, id_reference, optional_timestamp, timestamp_now
from app.core.constraints import status_check, version_check


class Status(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"


class Assessment(IdRow, table=True):
    __tablename__ = "assessments"
    __table_args__ = (
        status_check("assessments", Status),
        version_check("assessments"),
        # A participant's history is listed oldest first (keyset on created_at, id).
        Index("ix_assessments_participant_created", "participant_id", "created_at", "id"),
    )

    participant_id: int = id_reference("users.id", index=True)
    #: The pinned rubric version. Versions are never deleted, so no cascade.
    rubric_version_id: int = id_reference("rubric_versions.id", ondelete=None, index=True)
    title: str | None = Field(default=None, max_length=200)
    status: str = Field(default=Status.in_progress.value, max_length=16)
    #: Optimistic lock: starts at 1, +1 on every change (answers, submission).
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()
    submitted_at: datetime | None = optional_timestamp()
    #: The ScoringResult JSON computed at submission; never recomputed.
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    #: The scoring method string that produced ``result`` (e.g. "stepwise-threshold/1").
    method: str | None = Field(default=None, max_length=64)
    #: Submitting after this instant is refused (409). Set when a programme cycle
    #: that accepts no late submissions opens this assessment; NULL: no deadline.
    closes_at: datetime | None = optional_timestamp()
    #: The role profile picked (an id of the pinned rubric's ``roles``); NULL: none.
    role_id: str | None = Field(default=None, max_length=64)
    #: Ask only the role's competencies (the others are "not assessed"). Only
    #: while in progress: a submitted result was scored on what was asked.
    role_only: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    #: The ``rubric_versions.id`` this assessment was moved from by its last upgrade
    #: (NULL: never moved). The questionnaire recomputes from it which items were new
    #: or changed, so what must be answered anew needs no list of its own
    #: (app/assessments/upgrade.py). No foreign key on purpose: versions are never
    #: deleted, and a plain column is added in place on SQLite, where adding a
    #: constraint rebuilds the table -- and dropping the old table would cascade to
    #: every answer and level (``PRAGMA foreign_keys=ON``).
    upgraded_from_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.submitted.value


class AssessmentResponse(SQLModel, table=True):
    """One answered item of an assessment; an unanswered item has no row."""

    __tablename__ = "assessment_responses"

    assessment_id: int = id_reference("assessments.id", primary_key=True)
    item_id: str = Field(sa_column=Column(String(64), primary_key=True))
    #: ``"1"``..``"5"`` (any integer of the rubric's scale) or ``"n/a"``.
    value: str = Field(max_length=8)
    updated_at: datetime = timestamp_now()


class AssessmentLevel(SQLModel, table=True):
    """The self level of one behavior in one submitted assessment.

    The same figure lives in ``assessments.result`` (JSON), but team insights
    aggregate levels in SQL (``GROUP BY`` behavior and level), which a JSON
    column cannot serve portably or fast. Written once, at submission, in the
    same transaction as the result, and never changed, like the result.
    """

    __tablename__ = "assessment_levels"
    __table_args__ = (
        # Covering: the insights' joins on assessment_id read behavior and level
        # from the index alone, never the table.
        Index("ix_assessment_levels_covering", "assessment_id", "behavior_id", "level"),
    )

    assessment_id: int = id_reference("assessments.id", primary_key=True)
    behavior_id: str = Field(sa_column=Column(String(64), primary_key=True))
    competency_id: str = Field(max_length=64)
    #: The level order the scoring engine gave the behavior (0 = "Not yet").
    level: int
