"""The queries of team insights: levels aggregated in the database.

Every figure a group shows is one ``GROUP BY`` statement over the cycle's
participations joined to the levels (the self level per behavior from the
assessments domain, the coach level of the newest finalized review from the
coaching domain, both handed over as statements), so the number of
statements is the same for 5 members or 5,000 and the rows returned are
bounded by behaviors x levels, never by members. Only the heatmap reads
per-member rows, one page (at most 100 members) at a time.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, func
from sqlalchemy import select as sql_select
from sqlalchemy.sql import Subquery
from sqlmodel import Session, col

from app.assessments import service as assessments
from app.coaching import service as coaching
from app.core.pagination import Cursor, Page, keyset_page
from app.programmes.insights import Source
from app.programmes.models import CohortMember, Cycle, CycleParticipation


def heatmap_scope(cycle_id: int, source: Source) -> str:
    return f"insights-heatmap:{cycle_id}:{source.value}"


def _levels(source: Source) -> Subquery:
    """``(assessment_id, behavior_id, level)`` of the chosen source, as a subquery."""
    statement = (
        assessments.self_levels_statement()
        if source is Source.self
        else coaching.coach_levels_statement()
    )
    return statement.subquery(f"{source.value}_levels")


def group_of(
    cycle_id: int | None, coach_id: int | None, name: str, *, cohort_id: int | None = None
) -> Subquery:
    """The participations of current cohort members in one cycle (or in every cycle of
    ``cohort_id``), one coach's members only when ``coach_id`` is given."""
    columns: list[Any] = [
        col(CycleParticipation.cycle_id).label("cycle_id"),
        col(CycleParticipation.user_id).label("user_id"),
        col(CycleParticipation.assessment_id).label("assessment_id"),
        col(CohortMember.id).label("member_id"),
        col(Cycle.opens_at).label("opens_at"),
    ]
    statement = (
        sql_select(*columns)
        .join(Cycle, col(Cycle.id) == col(CycleParticipation.cycle_id))
        .join(
            CohortMember,
            and_(
                col(CohortMember.cohort_id) == col(Cycle.cohort_id),
                col(CohortMember.user_id) == col(CycleParticipation.user_id),
            ),
        )
    )
    if cycle_id is not None:
        statement = statement.where(col(CycleParticipation.cycle_id) == cycle_id)
    if cohort_id is not None:
        statement = statement.where(col(Cycle.cohort_id) == cohort_id)
    if coach_id is not None:
        statement = statement.where(col(CohortMember.coach_id) == coach_id)
    return statement.subquery(name)


def group_size(session: Session, *, cycle_id: int, source: Source, coach_id: int | None) -> int:
    """How many members of the group have at least one level of ``source`` (one statement)."""
    group = group_of(cycle_id, coach_id, "grp")
    levels = _levels(source)
    statement = sql_select(func.count(func.distinct(group.c.user_id))).join(
        levels, levels.c.assessment_id == group.c.assessment_id
    )
    return int(session.execute(statement).scalar_one())


def level_counts(
    session: Session, *, cycle_id: int, source: Source, coach_id: int | None
) -> list[tuple[str, int, int]]:
    """``(behavior_id, level, members)`` of the group: one ``GROUP BY`` statement."""
    group = group_of(cycle_id, coach_id, "grp")
    levels = _levels(source)
    statement: Select[Any] = (
        sql_select(levels.c.behavior_id, levels.c.level, func.count())
        .select_from(group)
        .join(levels, levels.c.assessment_id == group.c.assessment_id)
        .group_by(levels.c.behavior_id, levels.c.level)
    )
    return [(str(b), int(lv), int(n)) for b, lv, n in session.execute(statement)]


def shift_counts(
    session: Session,
    *,
    cycle_id: int,
    previous_cycle_id: int,
    source: Source,
    coach_id: int | None,
) -> list[tuple[str, int, int]]:
    """``(behavior_id, level now - level before, members)`` of members in both cycles."""
    now, before = (
        group_of(cycle_id, coach_id, "now_grp"),
        group_of(previous_cycle_id, coach_id, "prev_grp"),
    )
    now_levels = _levels(source).alias("now_levels")
    before_levels = _levels(source).alias("before_levels")
    shift = (now_levels.c.level - before_levels.c.level).label("shift")
    statement: Select[Any] = (
        sql_select(now_levels.c.behavior_id, shift, func.count())
        .select_from(now)
        .join(before, before.c.user_id == now.c.user_id)
        .join(now_levels, now_levels.c.assessment_id == now.c.assessment_id)
        .join(
            before_levels,
            and_(
                before_levels.c.assessment_id == before.c.assessment_id,
                before_levels.c.behavior_id == now_levels.c.behavior_id,
            ),
        )
        .group_by(now_levels.c.behavior_id, shift)
    )
    return [(str(b), int(s), int(n)) for b, s, n in session.execute(statement)]


def heatmap_members(
    session: Session,
    *,
    cycle_id: int,
    source: Source,
    coach_id: int | None,
    after: Cursor | None,
    limit: int,
) -> Page[Any]:
    """One page of the group's ``(member_id, user_id, assessment_id)`` rows, in member order."""
    group = group_of(cycle_id, coach_id, "grp")
    statement: Select[Any] = sql_select(group.c.member_id, group.c.user_id, group.c.assessment_id)
    return keyset_page(
        session,
        statement,
        sort=group.c.member_id,
        id_column=group.c.member_id,
        after=after,
        limit=limit,
        key_of=lambda row: Cursor(key=row.member_id, id=row.member_id),
        scope=heatmap_scope(cycle_id, source),
        scalars=False,
    )


def levels_of_assessments(
    session: Session, *, assessment_ids: Collection[int], source: Source
) -> list[tuple[int, str, int]]:
    """``(assessment_id, behavior_id, level)`` of a page's assessments (one statement)."""
    if not assessment_ids:
        return []
    levels = _levels(source)
    statement: Select[Any] = sql_select(
        levels.c.assessment_id, levels.c.behavior_id, levels.c.level
    ).where(levels.c.assessment_id.in_(list(assessment_ids)))
    return [(int(a), str(b), int(lv)) for a, b, lv in session.execute(statement)]
