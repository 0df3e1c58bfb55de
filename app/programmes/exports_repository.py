"""The query of the cohort results export: one row per cycle x member x behavior.

One statement for the whole cohort, whatever its size or number of cycles:
the cycles' participations of current members, their self levels and
(outer-joined) the coach level of the newest finalized review.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_
from sqlalchemy import select as sql_select
from sqlmodel import Session

from app.assessments import service as assessments
from app.coaching import service as coaching
from app.programmes.insights_repository import group_of


def cohort_results(
    session: Session, *, cohort_id: int, coach_id: int | None
) -> list[tuple[int, int, str, int, int | None]]:
    """``(cycle_id, user_id, behavior_id, self_level, coach_level)`` of every submitted
    assessment of the cohort's cycles, in cycle and member order."""
    group = group_of(None, coach_id, "grp", cohort_id=cohort_id)
    selves = assessments.self_levels_statement().subquery("self_levels")
    coaches = coaching.coach_levels_statement().subquery("coach_levels")
    statement: Select[Any] = (
        sql_select(
            group.c.cycle_id, group.c.user_id, selves.c.behavior_id, selves.c.level, coaches.c.level
        )
        .select_from(group)
        .join(selves, selves.c.assessment_id == group.c.assessment_id)
        .outerjoin(
            coaches,
            and_(
                coaches.c.assessment_id == selves.c.assessment_id,
                coaches.c.behavior_id == selves.c.behavior_id,
            ),
        )
        .order_by(group.c.opens_at, group.c.cycle_id, group.c.member_id)
    )
    return [
        (int(cy), int(u), str(b), int(s), None if c is None else int(c))
        for cy, u, b, s, c in session.execute(statement)
    ]
