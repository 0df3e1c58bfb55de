"""The programmes domain's queries: cohorts, members, cycles, participations.

The reminder scan joins the assessments of a cycle's participations in one
statement (reading them through that domain's functions would be one query
per member); the progress dashboard's statements are in
:mod:`app.programmes.progress_repository`, the insights' and exports' in
their own ``*_repository`` modules.

Lists are keyset-paginated (:mod:`app.core.pagination`) on indexed columns:
cohorts by ``(name, id)``, members and participations by ``id`` within
their cohort or cycle (``ix_*_cohort_id_id``, ``ix_*_cycle_id_id``), cycles
by ``(opens_at, id)`` newest first. The due-cycle queries of the periodic
job use ``(status, opens_at)`` and ``(status, closes_at)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app.assessments.models import Assessment, Status
from app.core.pagination import Cursor, Page, keyset_page
from app.programmes.models import Cohort, CohortMember, Cycle, CycleParticipation, CycleStatus

COHORTS_SCOPE = "cohorts"


def members_scope(cohort_id: int) -> str:
    return f"cohort-members:{cohort_id}"


def cycles_scope(cohort_id: int | None) -> str:
    return f"cycles:{cohort_id or '*'}"


def participations_scope(cycle_id: int) -> str:
    return f"cycle-participations:{cycle_id}"


def _id_page(
    session: Session,
    statement: Any,
    model: Any,
    after: Cursor | None,
    limit: int,
    scope: str,
) -> Page[Any]:
    """One page of ``statement`` in ``model.id`` order (the keyset is the id alone)."""
    return keyset_page(
        session,
        statement,
        sort=col(model.id),
        id_column=col(model.id),
        after=after,
        limit=limit,
        scope=scope,
    )


def _all_by_id(session: Session, model: Any, where: Any) -> list[Any]:
    """Every row of ``model`` matching ``where``, in id order (bounded lists only)."""
    return list(session.exec(select(model).where(where).order_by(col(model.id))).all())


# Cohorts ----------------------------------------------------------------------


def get_cohort(session: Session, cohort_id: int) -> Cohort | None:
    return session.get(Cohort, cohort_id)


def list_cohorts(session: Session, *, after: Cursor | None, limit: int) -> Page[Cohort]:
    """Cohorts by name (then id), one page."""
    return keyset_page(
        session,
        select(Cohort),
        sort=col(Cohort.name),
        id_column=col(Cohort.id),
        after=after,
        limit=limit,
        scope=COHORTS_SCOPE,
    )


def count_members(session: Session, *, cohort_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(CohortMember)
            .where(col(CohortMember.cohort_id) == cohort_id)
        ).one()
    )


def count_run_cycles(session: Session, *, cohort_id: int) -> int:
    """How many of the cohort's cycles were ever opened (they made assessments)."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Cycle)
            .where(col(Cycle.cohort_id) == cohort_id, col(Cycle.status) != CycleStatus.draft)
        ).one()
    )


def count_cycles(session: Session, *, cohort_id: int) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Cycle).where(col(Cycle.cohort_id) == cohort_id)
        ).one()
    )


def delete_cohort(session: Session, cohort: Cohort) -> None:
    """The cohort with its members, cycles and participations (assessments stay: they are
    the participants' own records)."""
    cycles = select(Cycle.id).where(col(Cycle.cohort_id) == cohort.id)
    session.execute(delete(CycleParticipation).where(col(CycleParticipation.cycle_id).in_(cycles)))
    session.execute(delete(Cycle).where(col(Cycle.cohort_id) == cohort.id))
    session.execute(delete(CohortMember).where(col(CohortMember.cohort_id) == cohort.id))
    session.delete(cohort)
    session.flush()


# Members ----------------------------------------------------------------------


def get_member(session: Session, *, cohort_id: int, user_id: int) -> CohortMember | None:
    return session.exec(
        select(CohortMember).where(
            col(CohortMember.cohort_id) == cohort_id, col(CohortMember.user_id) == user_id
        )
    ).first()


def list_members(
    session: Session,
    *,
    cohort_id: int,
    after: Cursor | None,
    limit: int,
    coach_id: int | None = None,
) -> Page[CohortMember]:
    """A cohort's members in the order they were added, one page (optionally one coach's)."""
    statement = select(CohortMember).where(col(CohortMember.cohort_id) == cohort_id)
    if coach_id is not None:
        statement = statement.where(col(CohortMember.coach_id) == coach_id)
    return _id_page(session, statement, CohortMember, after, limit, members_scope(cohort_id))


def all_members(session: Session, *, cohort_id: int) -> list[CohortMember]:
    """Every member of a cohort (bounded by ``MAX_MEMBERS``), for opening a cycle."""
    return _all_by_id(session, CohortMember, col(CohortMember.cohort_id) == cohort_id)


def member_user_ids(session: Session, *, cohort_id: int, user_ids: Sequence[int]) -> set[int]:
    """Which of ``user_ids`` are already members (one query, for the CSV preview)."""
    if not user_ids:
        return set()
    return set(
        session.exec(
            select(CohortMember.user_id).where(
                col(CohortMember.cohort_id) == cohort_id,
                col(CohortMember.user_id).in_(list(user_ids)),
            )
        ).all()
    )


def delete_member(session: Session, member: CohortMember) -> None:
    session.delete(member)
    session.flush()


def _any_member(session: Session, *conditions: Any) -> bool:
    """Whether some membership matches ``conditions`` (reads one id at most)."""
    return session.exec(select(CohortMember.id).where(*conditions)).first() is not None


def is_coach_in_cohort(session: Session, *, cohort_id: int, coach_id: int) -> bool:
    return _any_member(
        session, col(CohortMember.cohort_id) == cohort_id, col(CohortMember.coach_id) == coach_id
    )


# Cycles -----------------------------------------------------------------------


def get_cycle(session: Session, cycle_id: int) -> Cycle | None:
    return session.get(Cycle, cycle_id)


def list_cycles(
    session: Session, *, cohort_id: int | None, after: Cursor | None, limit: int
) -> Page[Cycle]:
    """Cycles, newest opening first, one page (of one cohort when ``cohort_id`` is given)."""
    statement = select(Cycle)
    if cohort_id is not None:
        statement = statement.where(col(Cycle.cohort_id) == cohort_id)
    return keyset_page(
        session,
        statement,
        sort=col(Cycle.opens_at),
        id_column=col(Cycle.id),
        after=after,
        limit=limit,
        scope=cycles_scope(cohort_id),
        descending=True,
    )


def cycles_of_cohort(session: Session, *, cohort_id: int) -> list[Cycle]:
    """Every cycle of a cohort, oldest opening first (for "change since the previous cycle")."""
    return list(
        session.exec(
            select(Cycle)
            .where(col(Cycle.cohort_id) == cohort_id)
            .order_by(col(Cycle.opens_at), col(Cycle.id))
        ).all()
    )


def _cycles_in(session: Session, status: CycleStatus, *conditions: Any, by: Any) -> list[Cycle]:
    """Cycles in ``status`` (and ``conditions``), oldest ``by`` first: the job's scans."""
    return list(
        session.exec(
            select(Cycle)
            .where(col(Cycle.status) == status.value, *conditions)
            .order_by(by, col(Cycle.id))
        ).all()
    )


def cycles_due_to_open(session: Session, *, now: datetime) -> list[Cycle]:
    return _cycles_in(
        session, CycleStatus.draft, col(Cycle.opens_at) <= now, by=col(Cycle.opens_at)
    )


def cycles_due_to_close(session: Session, *, now: datetime) -> list[Cycle]:
    return _cycles_in(
        session, CycleStatus.open, col(Cycle.closes_at) <= now, by=col(Cycle.closes_at)
    )


def open_cycles(session: Session) -> list[Cycle]:
    return _cycles_in(session, CycleStatus.open, by=col(Cycle.closes_at))


def claim_cycle_status(
    session: Session, *, cycle_id: int, expected: CycleStatus, new: CycleStatus, now: datetime
) -> bool:
    """Move a cycle from ``expected`` to ``new`` in one conditional UPDATE.

    Two workers (or an admin and the job) racing to open the same cycle: only
    one statement matches, so members are invited once. Bumps ``version``.
    """
    values: dict[str, object] = {
        "status": new.value,
        "version": Cycle.version + 1,
        "updated_at": now,
    }
    if new is CycleStatus.open:
        values["opened_at"] = now
    if new is CycleStatus.closed:
        values["closed_at"] = now
    result = session.execute(
        update(Cycle)
        .where(col(Cycle.id) == cycle_id, col(Cycle.status) == expected.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Participations ---------------------------------------------------------------


def list_cycle_participations(
    session: Session, *, cycle_id: int, after: Cursor | None, limit: int
) -> Page[CycleParticipation]:
    """A cycle's participations in id order, one page."""
    statement = select(CycleParticipation).where(col(CycleParticipation.cycle_id) == cycle_id)
    return _id_page(
        session, statement, CycleParticipation, after, limit, participations_scope(cycle_id)
    )


def all_cycle_participations(session: Session, *, cycle_id: int) -> list[CycleParticipation]:
    """Every participation of a cycle (bounded by the cohort's ``MAX_MEMBERS``)."""
    return _all_by_id(session, CycleParticipation, col(CycleParticipation.cycle_id) == cycle_id)


def get_participation(
    session: Session, *, cycle_id: int, user_id: int
) -> CycleParticipation | None:
    return session.exec(
        select(CycleParticipation).where(
            col(CycleParticipation.cycle_id) == cycle_id,
            col(CycleParticipation.user_id) == user_id,
        )
    ).first()


def participant_ids(session: Session, *, cycle_id: int) -> set[int]:
    return set(
        session.exec(
            select(CycleParticipation.user_id).where(col(CycleParticipation.cycle_id) == cycle_id)
        ).all()
    )


def claim_reminder(session: Session, *, participation_id: int, now: datetime) -> bool:
    """Mark one participation reminded, if nobody did yet (one conditional UPDATE)."""
    result = session.execute(
        update(CycleParticipation)
        .where(
            col(CycleParticipation.id) == participation_id,
            col(CycleParticipation.reminded_at).is_(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def count_cohorts(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Cohort)).one())


def is_coach_of_member_elsewhere(session: Session, *, coach_id: int, user_id: int) -> bool:
    """Whether any cohort still pairs ``user_id`` with ``coach_id`` (after a change)."""
    return _any_member(
        session, col(CohortMember.user_id) == user_id, col(CohortMember.coach_id) == coach_id
    )


def participations_to_remind(session: Session, *, cycle_id: int) -> list[CycleParticipation]:
    """Participations of a cycle not reminded yet whose assessment is still in progress."""
    return list(
        session.exec(
            select(CycleParticipation)
            .join(Assessment, col(Assessment.id) == col(CycleParticipation.assessment_id))
            .where(
                col(CycleParticipation.cycle_id) == cycle_id,
                col(CycleParticipation.reminded_at).is_(None),
                col(Assessment.status) == Status.in_progress.value,
            )
            .order_by(col(CycleParticipation.id))
        ).all()
    )


def memberships_of_user(session: Session, *, user_id: int) -> list[tuple[CohortMember, Cohort]]:
    """A person's cohort memberships with their cohorts, oldest first (export)."""
    statement = (
        select(CohortMember, Cohort)
        .join(Cohort, col(Cohort.id) == col(CohortMember.cohort_id))
        .where(col(CohortMember.user_id) == user_id)
        .order_by(col(CohortMember.id))
    )
    return [(m, c) for m, c in session.exec(statement).all()]


def participations_of_user(session: Session, *, user_id: int) -> list[CycleParticipation]:
    return _all_by_id(session, CycleParticipation, col(CycleParticipation.user_id) == user_id)


def delete_person_rows(session: Session, *, user_id: int) -> None:
    """Delete a person's memberships and cycle participations (erasure)."""
    session.execute(delete(CycleParticipation).where(col(CycleParticipation.user_id) == user_id))
    session.execute(delete(CohortMember).where(col(CohortMember.user_id) == user_id))
    session.flush()
