"""JSON shapes of the programmes API: cohorts, members, cycles, progress, the CSV import."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.accounts.models import User
from app.core.api_schemas import CursorPage, RowOut, from_row
from app.core.types import Id, Version
from app.programmes.models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REMINDER_DAYS,
    Cohort,
    CohortMember,
    Cycle,
)
from app.programmes.progress import CoachProgress, Dashboard, MemberProgress
from app.programmes.roster import MAX_CSV_BYTES, RosterPlan, RowAction

Stage = Literal["invited", "started", "submitted", "reviewed"]


class CohortCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=MAX_NAME_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)


class CohortUpdate(BaseModel):
    """Any of the fields; ``version`` (or ``If-Match``) names the version you last saw."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    version: Version | None = None


class CohortOut(RowOut[Cohort]):
    id: int
    name: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class CohortPage(CursorPage[CohortOut]):
    pass


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The member's coach (a person with the coach role), or none.
    coach_id: Id | None = None


class PersonRef(BaseModel):
    id: int
    name: str
    email: str

    @classmethod
    def of(cls, user: User) -> PersonRef:
        return from_row(cls, user, name=user.display_name)


class MemberOut(BaseModel):
    user: PersonRef
    coach: PersonRef | None
    added_at: datetime

    @classmethod
    def of(cls, member: CohortMember, people: dict[int, User]) -> MemberOut:
        coach = people.get(member.coach_id) if member.coach_id is not None else None
        return cls(
            user=PersonRef.of(people[member.user_id]),
            coach=PersonRef.of(coach) if coach is not None else None,
            added_at=member.added_at,
        )


class MemberPage(CursorPage[MemberOut]):
    pass


class RosterIn(BaseModel):
    """The CSV text (``email,name,coach``); ``confirm: false`` is the dry run."""

    model_config = ConfigDict(extra="forbid")

    csv: str = Field(max_length=MAX_CSV_BYTES)
    confirm: bool = False


class RosterRowOut(BaseModel):
    row: int
    email: str
    name: str
    coach: str | None
    action: Literal["invite", "add", "change_coach", "unchanged"]


class RosterOut(BaseModel):
    confirmed: bool
    rows: list[RosterRowOut]
    #: One per bad row and column: ``loc`` is ``["csv", row, column]``; empty when all is well.
    errors: list[dict[str, object]]
    invited: int
    added: int
    coach_changes: int
    coach_assignments: int

    @classmethod
    def of(cls, plan: RosterPlan, *, confirmed: bool) -> RosterOut:
        return cls(
            confirmed=confirmed,
            rows=[
                RosterRowOut(
                    row=r.row,
                    email=r.email,
                    name=r.name,
                    coach=r.coach_email,
                    action=r.action.value,
                )
                for r in plan.rows
            ],
            errors=plan.errors,
            invited=plan.count(RowAction.invite),
            added=plan.count(RowAction.add),
            coach_changes=plan.count(RowAction.change_coach),
            coach_assignments=plan.coach_assignments,
        )


class CycleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=MAX_NAME_LENGTH)
    cohort_id: Id
    rubric_id: str = Field(max_length=64)
    #: A stored version of the rubric; the current one when omitted.
    rubric_version: str | None = Field(default=None, max_length=32)
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    accept_late: bool = False
    review_deadline: AwareDatetime | None = None
    feedback_phase: bool = False
    reminder_days: int = Field(default=3, ge=0, le=MAX_REMINDER_DAYS)


class CycleOut(RowOut[Cycle]):
    id: int
    name: str
    cohort_id: int
    rubric_version_id: int
    opens_at: datetime
    closes_at: datetime
    accept_late: bool
    review_deadline: datetime | None
    feedback_phase: bool
    reminder_days: int
    status: Literal["draft", "open", "closed"]
    version: int
    opened_at: datetime | None
    closed_at: datetime | None


class CyclePage(CursorPage[CycleOut]):
    pass


class MemberProgressOut(BaseModel):
    user: PersonRef
    coach: PersonRef | None
    stage: Stage
    invited_at: datetime | None
    submitted_at: datetime | None
    assessment_id: int | None

    @classmethod
    def of(cls, row: MemberProgress) -> MemberProgressOut:
        return from_row(
            cls,
            row,
            user=PersonRef(id=row.user_id, name=row.name, email=row.email),
            coach=(
                PersonRef(id=row.coach_id, name=row.coach_name or "", email=row.coach_email or "")
                if row.coach_id is not None
                else None
            ),
        )


class CoachProgressOut(BaseModel):
    coach_id: int | None
    coach_name: str | None
    invited: int
    started: int
    submitted: int
    reviewed: int
    total: int

    @classmethod
    def of(cls, coach: CoachProgress) -> CoachProgressOut:
        return from_row(cls, coach, **coach.counts)


class ProgressOut(BaseModel):
    cycle: CycleOut
    #: One page of members (filtered by ``stage`` / ``coach_id`` when given).
    items: list[MemberProgressOut]
    #: Per coach, counts over the whole cycle (a coach sees only their own line).
    coaches: list[CoachProgressOut]
    next_cursor: str | None

    @classmethod
    def of(cls, board: Dashboard) -> ProgressOut:
        return cls(
            cycle=CycleOut.of(board.cycle),
            items=[MemberProgressOut.of(m) for m in board.members],
            coaches=[CoachProgressOut.of(c) for c in board.coaches],
            next_cursor=board.next_cursor,
        )
