"""A cycle's progress dashboard: per member and per coach, invited → reviewed.

Two statements whatever the cohort's size
(:func:`app.programmes.progress_repository.progress_rows` for a page of members,
:func:`~app.programmes.progress_repository.progress_by_coach` for the counts),
paginated with the cursor and filterable by stage and coach.
Admins see every row; a coach sees the rows of the members whose programme
coach they are, and nothing else (a coach with no member in the cycle's
cohort gets 404, as for a cycle that does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.accounts.models import Role, User
from app.core.exceptions import InvalidInput, NotFound, field_error
from app.core.pagination import Cursor
from app.programmes import progress_repository, repository
from app.programmes.cycles import load_cycle
from app.programmes.models import Cycle
from app.programmes.progress_repository import STAGES


@dataclass(frozen=True)
class MemberProgress:
    participation_id: int
    user_id: int
    name: str
    email: str
    coach_id: int | None
    coach_name: str | None
    coach_email: str | None
    stage: str
    invited_at: datetime | None
    submitted_at: datetime | None
    assessment_id: int | None


@dataclass
class CoachProgress:
    coach_id: int | None
    coach_name: str | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Dashboard:
    cycle: Cycle
    members: list[MemberProgress]
    coaches: list[CoachProgress]
    next_cursor: str | None
    #: The coach whose rows these are, when a coach (not an admin) is looking.
    restricted_to: int | None


def checked_stage(stage: str | None, *, loc: list[str | int]) -> str | None:
    if stage is None or stage == "":
        return None
    if stage not in STAGES:
        raise InvalidInput(
            "Unknown stage",
            errors=[field_error(loc, f"must be one of {', '.join(STAGES)}", "literal_error")],
        )
    return stage


def dashboard_scope(*, session: Session, actor: User, cycle: Cycle) -> int | None:
    """Whose rows ``actor`` may see: ``None`` all (admin), a coach id, or 404."""
    if actor.has_role(Role.admin):
        return None
    if (
        actor.has_role(Role.coach)
        and actor.id is not None
        and repository.is_coach_in_cohort(session, cohort_id=cycle.cohort_id, coach_id=actor.id)
    ):
        return actor.id
    raise NotFound("Cycle not found")


def cycle_dashboard(
    *,
    session: Session,
    actor: User,
    cycle_id: int,
    after: Cursor | None,
    limit: int,
    stage: str | None = None,
    coach_id: int | None = None,
) -> Dashboard:
    """One page of members' progress and the per-coach counts of the whole cycle."""
    try:
        cycle = load_cycle(session=session, cycle_id=cycle_id)
    except NotFound:
        raise NotFound("Cycle not found") from None
    restricted = dashboard_scope(session=session, actor=actor, cycle=cycle)
    if restricted is not None:
        coach_id = restricted
    page = progress_repository.progress_rows(
        session, cycle=cycle, after=after, limit=limit, stage=stage, coach_id=coach_id
    )
    members = [
        MemberProgress(
            participation_id=row.participation_id,
            user_id=row.user_id,
            name=row.name,
            email=row.email,
            coach_id=row.coach_id,
            coach_name=row.coach_name,
            coach_email=row.coach_email,
            stage=row.stage,
            invited_at=row.invited_at,
            submitted_at=row.submitted_at,
            assessment_id=row.assessment_id,
        )
        for row in page.items
    ]
    coaches: dict[int | None, CoachProgress] = {}
    for cid, cname, row_stage, count in progress_repository.progress_by_coach(
        session, cycle=cycle, coach_id=coach_id
    ):
        coaches.setdefault(cid, CoachProgress(coach_id=cid, coach_name=cname)).counts[row_stage] = (
            count
        )
    ordered = sorted(coaches.values(), key=lambda c: (c.coach_name is None, c.coach_name or ""))
    return Dashboard(
        cycle=cycle,
        members=members,
        coaches=ordered,
        next_cursor=page.next_cursor,
        restricted_to=restricted,
    )
