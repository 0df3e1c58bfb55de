"""The programmes queries: keyset pages walk every row once, due cycles, claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.core.pagination import decode_cursor
from app.programmes import repository
from app.programmes.models import Cohort, CohortMember, Cycle, CycleParticipation, CycleStatus
from app.rubrics.models import RubricVersion
from tests.fixtures.factories import UserFactory

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _rubric_version_id(session: Session) -> int:
    row = session.exec(select(RubricVersion).where(RubricVersion.rubric_id == "mini")).first()
    assert row is not None and row.id is not None
    return row.id


def _cycle(session: Session, *, days: int) -> tuple[Cohort, Cycle]:
    """A new cohort with one draft cycle opening at T0 and closing ``days`` later."""
    cohort = Cohort(name="PO guild")
    session.add(cohort)
    session.flush()
    assert cohort.id is not None
    cycle = Cycle(
        name="March",
        cohort_id=cohort.id,
        rubric_version_id=_rubric_version_id(session),
        opens_at=T0,
        closes_at=T0 + timedelta(days=days),
    )
    session.add(cycle)
    session.flush()
    assert cycle.id is not None
    return cohort, cycle


def test_cohort_pages_walk_every_cohort_once_by_name(session: Session) -> None:
    for name in ["b", "a", "c", "a", "d"]:
        session.add(Cohort(name=name))
    session.flush()
    seen: list[tuple[str, int]] = []
    token = None
    while True:
        page = repository.list_cohorts(
            session, after=decode_cursor(token, scope=repository.COHORTS_SCOPE), limit=2
        )
        seen += [(c.name, c.id) for c in page.items if c.id is not None]
        token = page.next_cursor
        if token is None:
            break
    assert [name for name, _ in seen] == ["a", "a", "b", "c", "d"]
    assert len({i for _, i in seen}) == 5


def test_participation_pages_and_the_reminder_claim(
    session: Session, make_user: UserFactory
) -> None:
    cohort, cycle = _cycle(session, days=14)
    assert cohort.id is not None and cycle.id is not None
    users = [make_user() for _ in range(3)]
    for user in users:
        assert user.id is not None
        session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
        session.add(CycleParticipation(cycle_id=cycle.id, user_id=user.id))
    session.flush()
    first = repository.list_cycle_participations(session, cycle_id=cycle.id, after=None, limit=2)
    assert len(first.items) == 2 and first.next_cursor is not None
    after = decode_cursor(first.next_cursor, scope=repository.participations_scope(cycle.id))
    rest = repository.list_cycle_participations(session, cycle_id=cycle.id, after=after, limit=2)
    assert [p.user_id for p in first.items + rest.items] == [u.id for u in users]
    assert rest.next_cursor is None

    pid = first.items[0].id
    assert pid is not None
    assert repository.claim_reminder(session, participation_id=pid, now=T0) is True
    assert repository.claim_reminder(session, participation_id=pid, now=T0) is False


def test_due_cycles_and_the_status_claim(session: Session) -> None:
    _, cycle = _cycle(session, days=1)
    assert cycle.id is not None
    assert repository.cycles_due_to_open(session, now=T0 - timedelta(seconds=1)) == []
    assert [c.id for c in repository.cycles_due_to_open(session, now=T0)] == [cycle.id]
    for expected_result in (True, False):
        claimed = repository.claim_cycle_status(
            session, cycle_id=cycle.id, expected=CycleStatus.draft, new=CycleStatus.open, now=T0
        )
        assert claimed is expected_result
    session.refresh(cycle)
    assert cycle.status == "open" and cycle.version == 2 and cycle.opened_at == T0
    assert [c.id for c in repository.cycles_due_to_close(session, now=T0 + timedelta(days=1))] == [
        cycle.id
    ]
