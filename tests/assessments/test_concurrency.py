"""Two writers based on the same version, on separate connections and threads.

This is what two browser tabs (or two workers) do. Exactly one save may win;
the other must be refused with the current state, and after the loser merges
and retries both answers are kept. Runs against the real test database (SQLite
file or PostgreSQL), committing for real, and cleans up after itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.core.versioning import VersionConflict
from tests.fixtures.factories import new_account

ROUNDS = 5


@dataclass
class Owner:
    user: User
    assessment_id: int


@pytest.fixture
def owner(engine: Engine) -> Iterator[Owner]:
    with Session(engine, expire_on_commit=False) as session:
        user = new_account(session=session, email="concurrent-tabs@example.test")
        state = service.create_assessment(session=session, user=user, rubric_id="mini")
        session.commit()
    yield Owner(user=user, assessment_id=state.id)
    with Session(engine) as session:
        row = session.get(User, user.id)
        if row is not None:
            session.delete(row)  # cascades to the assessment and its answers
            session.commit()


def _save(
    engine: Engine,
    owner: Owner,
    version: int,
    item: str,
    value: int,
    barrier: threading.Barrier,
    outcomes: dict[str, object],
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        barrier.wait()
        try:
            state = service.save_responses(
                session=session,
                user=owner.user,
                assessment_id=owner.assessment_id,
                expected_version=version,
                responses={item: value},
            )
            session.commit()
            outcomes[item] = state.version
        except Exception as exc:  # recorded and asserted on below; closing rolls back
            outcomes[item] = exc


def test_two_tabs_saving_at_once_lose_nothing(engine: Engine, owner: Owner) -> None:
    version = 1
    pairs = [
        ("pl-1", "rv-1"),
        ("pl-2a", "rv-3a"),
        ("pl-2b", "rv-3b"),
        ("pl-3", "pl-1"),
        ("rv-1", "pl-2a"),
    ][:ROUNDS]
    for round_, (a, b) in enumerate(pairs, start=1):
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}
        threads = [
            threading.Thread(
                target=_save, args=(engine, owner, version, item, round_ % 5, barrier, outcomes)
            )
            for item in (a, b)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        winners = [item for item, outcome in outcomes.items() if outcome == version + 1]
        losers = [o for o in outcomes.values() if isinstance(o, VersionConflict)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        conflict = losers[0]
        assert conflict.state.version == version + 1
        assert conflict.state.responses[winners[0]] == round_ % 5
        # The loser merges and retries on the version it was shown.
        loser_item = b if winners[0] == a else a
        retry: dict[str, object] = {}
        _save(
            engine,
            owner,
            conflict.state.version,
            loser_item,
            round_ % 5,
            threading.Barrier(1),
            retry,
        )
        assert retry[loser_item] == version + 2
        version += 2

    with Session(engine) as session:
        state = service.get_assessment_for(
            session=session, user=owner.user, assessment_id=owner.assessment_id
        )
    assert state.version == 1 + 2 * ROUNDS
    assert {item for pair in pairs for item in pair} == set(state.responses)


def test_a_write_after_reading_while_another_writer_commits(engine: Engine, owner: Owner) -> None:
    """The case a "retry on SQLite busy" once covered, now without any retry.

    Request A reads first (as authentication does), then request B saves and
    commits, then A writes based on what it read. On SQLite every transaction
    is ``BEGIN IMMEDIATE``, so A's read already holds the write lock and B
    queues on the busy timeout until A commits (B then gets 409); on
    PostgreSQL B commits first and A's claim finds a stale version (A gets
    409). Either way: no "database is locked" error, exactly one winner.
    """
    outcomes: dict[str, object] = {}
    a_has_read = threading.Event()

    def request_a() -> None:
        with Session(engine, expire_on_commit=False) as session:
            service.get_assessment_for(
                session=session, user=owner.user, assessment_id=owner.assessment_id
            )
            a_has_read.set()
            b.join(timeout=1)  # give B the chance to commit first where it can
            try:
                state = service.save_responses(
                    session=session,
                    user=owner.user,
                    assessment_id=owner.assessment_id,
                    expected_version=1,
                    responses={"pl-1": 4},
                )
                session.commit()
                outcomes["a"] = state.version
            except Exception as exc:  # asserted on below; closing rolls back
                outcomes["a"] = exc

    def request_b() -> None:
        a_has_read.wait(timeout=10)
        _save(engine, owner, 1, "rv-1", 2, threading.Barrier(1), outcomes)

    b = threading.Thread(target=request_b)
    a = threading.Thread(target=request_a)
    b.start()
    a.start()
    a.join(timeout=60)
    b.join(timeout=60)
    results = [outcomes["a"], outcomes["rv-1"]]
    assert sorted(isinstance(r, VersionConflict) for r in results) == [False, True], outcomes
    assert 2 in results
