"""The progress dashboard's queries: each member's stage in a cycle, in one statement.

They join the assessments and coach reviews of a cycle's participations:
reading them through those domains' functions would be one query per member.
The joins only read (status, version, whether a final review exists); the
rules about those rows stay in their domains.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.accounts.models import User
from app.assessments.models import Assessment, Status
from app.coaching.models import CoachReview, ReviewStatus
from app.core.pagination import Cursor, Page, keyset_page
from app.programmes.models import CohortMember, Cycle, CycleParticipation
from app.programmes.repository import participations_scope

#: The stages of a member in a cycle, in order.
STAGES = ("invited", "started", "submitted", "reviewed")


def _stage_expression() -> Any:
    """The SQL of a participation's stage: reviewed > submitted > started > invited.

    "Started" is an assessment whose version moved (every autosave bumps it)."""
    reviewed = exists().where(
        col(CoachReview.assessment_id) == col(CycleParticipation.assessment_id),
        col(CoachReview.status) == ReviewStatus.final.value,
    )
    stage = case(
        (reviewed, "reviewed"),
        (col(Assessment.status) == Status.submitted.value, "submitted"),
        (col(Assessment.version) > 1, "started"),
        else_="invited",
    ).label("stage")
    return stage


def _of_cycle(statement: Select[Any], *, cycle: Cycle, coach: Any) -> Select[Any]:
    """``statement`` over the cycle's participations, each with its assessment (if any),
    its cohort membership and that member's ``coach`` (an alias of ``User``)."""
    return (
        statement.outerjoin(Assessment, col(Assessment.id) == col(CycleParticipation.assessment_id))
        .outerjoin(
            CohortMember,
            and_(
                col(CohortMember.cohort_id) == cycle.cohort_id,
                col(CohortMember.user_id) == col(CycleParticipation.user_id),
            ),
        )
        .outerjoin(coach, col(coach.id) == col(CohortMember.coach_id))
        .where(col(CycleParticipation.cycle_id) == cycle.id)
    )


def progress_rows(
    session: Session,
    *,
    cycle: Cycle,
    after: Cursor | None,
    limit: int,
    stage: str | None = None,
    coach_id: int | None = None,
) -> Page[Any]:
    """One page of a cycle's dashboard, one statement: per participation its member,
    coach, stage and dates (rows with ``participation_id``, ``user_id``, ``name``,
    ``email``, ``coach_id``, ``coach_name``, ``stage``, ``invited_at``,
    ``submitted_at``)."""
    assert cycle.id is not None
    stage_column = _stage_expression()
    coach = aliased(User)
    columns = sa_select(
        col(CycleParticipation.id).label("participation_id"),
        col(CycleParticipation.user_id).label("user_id"),
        col(User.display_name).label("name"),
        col(User.email).label("email"),
        col(CohortMember.coach_id).label("coach_id"),
        col(coach.display_name).label("coach_name"),
        col(coach.email).label("coach_email"),
        stage_column,
        col(CycleParticipation.invited_at).label("invited_at"),
        col(Assessment.submitted_at).label("submitted_at"),
        col(CycleParticipation.assessment_id).label("assessment_id"),
    ).join(User, col(User.id) == col(CycleParticipation.user_id))
    statement = _of_cycle(columns, cycle=cycle, coach=coach)
    if stage is not None:
        statement = statement.where(stage_column == stage)
    if coach_id is not None:
        statement = statement.where(col(CohortMember.coach_id) == coach_id)
    return keyset_page(
        session,
        statement,
        sort=col(CycleParticipation.id),
        id_column=col(CycleParticipation.id),
        after=after,
        limit=limit,
        key_of=lambda row: Cursor(key=row.participation_id, id=row.participation_id),
        scope=participations_scope(cycle.id),
        scalars=False,
    )


def progress_by_coach(
    session: Session, *, cycle: Cycle, coach_id: int | None = None
) -> list[tuple[int | None, str | None, str, int]]:
    """Per coach and stage, how many members (one grouped statement):
    ``(coach_id, coach_name, stage, count)``; coach ``None``: members without one."""
    assert cycle.id is not None
    stage_column = _stage_expression()
    coach = aliased(User)
    columns = sa_select(
        col(CohortMember.coach_id), col(coach.display_name), stage_column, func.count()
    ).select_from(CycleParticipation)
    statement = _of_cycle(columns, cycle=cycle, coach=coach).group_by(
        col(CohortMember.coach_id), col(coach.display_name), stage_column
    )
    if coach_id is not None:
        statement = statement.where(col(CohortMember.coach_id) == coach_id)
    return [(row[0], row[1], str(row[2]), int(row[3])) for row in session.execute(statement).all()]
