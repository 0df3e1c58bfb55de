"""Accounts' queries that other domains call: one statement, whatever the number of people."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts import policy, repository, service
from app.accounts.models import Role, User
from tests.fixtures.queries import count_statements

UserFactory = Callable[..., User]


def test_users_by_ids_maps_ids_to_people_in_one_query(
    session: Session, make_user: UserFactory
) -> None:
    people = [make_user(Role.participant) for _ in range(20)]
    session.expunge_all()  # nothing served from the identity map
    ids = [p.id for p in people if p.id is not None]
    with count_statements(session) as counted:
        found = repository.users_by_ids(session=session, ids=[*ids, *ids, 10**9])
    assert counted.count == 1, counted
    assert sorted(found) == sorted(ids)  # the unknown id is simply absent
    assert {u.email for u in found.values()} == {p.email for p in people}
    with count_statements(session) as counted:
        assert repository.users_by_ids(session=session, ids=[]) == {}
    assert counted.count == 0, counted


def test_participants_and_coaches_of_an_assignment(
    session: Session, participant: User, coach: User
) -> None:
    assert participant.id is not None and coach.id is not None
    assert repository.participants_of(session=session, coach_id=coach.id) == [participant]
    assert repository.coaches_of(session=session, participant_id=participant.id) == [coach]
    assert repository.participants_of(session=session, coach_id=participant.id) == []


def test_one_unit_of_work_reads_an_assignment_once(
    session: Session, make_user: UserFactory
) -> None:
    """A page checks the coach's assignment several times (the review page did three reads)."""
    coach, person = make_user(Role.coach), make_user(Role.participant)
    service.assign_coach(session=session, coach=coach, participant=person)
    session.flush()
    session.expunge_all()  # as a new request: nothing of the assignment in the session
    coach = session.get(User, coach.id)
    assert coach is not None and person.id is not None
    with count_statements(session) as counted:
        for _ in range(3):
            assert policy.is_assigned_coach(session=session, user=coach, participant_id=person.id)
    assert counted.count == 1, counted
    # Ended in the same unit of work: the next check sees it at once.
    participant = session.get(User, person.id)
    assert participant is not None
    assert service.unassign_coach(session=session, coach=coach, participant=participant)
    assert not policy.is_assigned_coach(session=session, user=coach, participant_id=person.id)
