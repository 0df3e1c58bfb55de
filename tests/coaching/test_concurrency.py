"""Two writers on separate connections and threads: two coach tabs, or two workers.

Exactly one save based on a version may win; the other is refused with the
current review (409), and after merging and retrying both changes are kept.
Two "start a session" clicks at once open one session, not two. Runs against
the real test database (SQLite file or PostgreSQL), committing for real, and
cleans up after itself.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.accounts import preferences
from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.assessments import service as assessments
from app.coaching import service
from app.coaching.models import CoachReview
from app.core.exceptions import Conflict
from app.core.versioning import VersionConflict
from tests.coaching.conftest import MINI_ANSWERS
from tests.fixtures.factories import new_account


@dataclass
class CommittedPair:
    """A participant, their coach and a submitted assessment, committed for real (not
    the directory's ``pair``, which lives in the test's rolled-back transaction)."""

    participant: User
    coach: User
    assessment_id: int


@pytest.fixture
def committed(engine: Engine) -> Iterator[CommittedPair]:
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as session:
        people = [
            new_account(role, session=session, email=f"{role.value}-{tag}@example.test")
            for role in (Role.participant, Role.coach)
        ]
        participant, coach = people
        accounts.assign_coach(session=session, coach=coach, participant=participant)
        # These rows commit for real: no "submitted" mail (and job) to outlive the test.
        preferences.update_preferences(
            session=session, user=coach, changes={"assessment_submitted": False}
        )
        state = assessments.create_assessment(session=session, user=participant, rubric_id="mini")
        state = assessments.save_responses(
            session=session,
            user=participant,
            assessment_id=state.id,
            expected_version=1,
            responses=MINI_ANSWERS,
        )
        assessments.submit_assessment(
            session=session, user=participant, assessment_id=state.id, expected_version=2
        )
        session.commit()
    yield CommittedPair(participant, coach, state.id)
    with Session(engine) as session:
        for person in (participant, coach):
            row = session.get(User, person.id)
            if row is not None:
                session.delete(row)  # cascades to assessments, reviews and plans
        session.commit()


def _race(engine: Engine, jobs: dict[str, Callable[[Session], Any]]) -> dict[str, Any]:
    """Run each job in its own thread and session, released together; outcome or exception."""
    barrier = threading.Barrier(len(jobs))
    outcomes: dict[str, Any] = {}

    def run(name: str, job: Callable[[Session], Any]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                outcomes[name] = job(session)
                session.commit()
            except Exception as exc:  # asserted on by the test; closing rolls back
                outcomes[name] = exc

    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_tabs_saving_at_once_lose_nothing(engine: Engine, committed: CommittedPair) -> None:
    with Session(engine, expire_on_commit=False) as session:
        review_id = service.start_review(
            session=session, user=committed.coach, assessment_id=committed.assessment_id
        ).id
        session.commit()

    def save(behavior: str, level: int) -> Callable[[Session], int]:
        def job(session: Session) -> int:
            return service.save_review(
                session=session,
                user=committed.coach,
                review_id=review_id,
                expected_version=1,
                ratings={behavior: {"coach_level": level}},
            ).version

        return job

    outcomes = _race(engine, {"planning": save("planning", 2), "review": save("review", 3)})
    won = [name for name, result in outcomes.items() if result == 2]
    lost = [name for name, result in outcomes.items() if isinstance(result, VersionConflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    conflict = outcomes[lost[0]]
    assert conflict.state.version == 2  # the current review travels with the 409

    # The loser merges onto the current version and retries: both ratings are kept.
    with Session(engine, expire_on_commit=False) as session:
        level = {"planning": 2, "review": 3}[lost[0]]
        service.save_review(
            session=session,
            user=committed.coach,
            review_id=review_id,
            expected_version=conflict.state.version,
            ratings={lost[0]: {"coach_level": level}},
        )
        session.commit()
        state = service.get_review(session=session, user=committed.coach, review_id=review_id)
        assert (state.version, [r.coach_level for r in state.rows]) == (3, [2, 3])


def test_two_clicks_on_start_open_one_session(engine: Engine, committed: CommittedPair) -> None:
    def start(session: Session) -> int:
        return service.start_review(
            session=session, user=committed.coach, assessment_id=committed.assessment_id
        ).id

    outcomes = _race(engine, {"first": start, "second": start})
    started = [result for result in outcomes.values() if isinstance(result, int)]
    refused = [result for result in outcomes.values() if isinstance(result, Conflict)]
    assert len(started) == 1 and len(refused) == 1, outcomes
    with Session(engine) as session:
        drafts = session.exec(
            select(CoachReview).where(col(CoachReview.assessment_id) == committed.assessment_id)
        ).all()
        assert [d.id for d in drafts] == started
