"""A cohort with members and coaches, and a draft cycle over the ``mini`` rubric."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import Role, User
from app.programmes import cohorts, cycles
from app.programmes.models import Cohort, Cycle
from tests.fixtures.factories import UserFactory

#: The cycle opens here: a fixed instant in the future, so real-time checks never interfere.
T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Programme:
    admin: User
    coach_a: User
    coach_b: User
    members: list[User]
    cohort: Cohort
    cycle: Cycle


@pytest.fixture
def programme(session: Session, make_user: UserFactory) -> Programme:
    """Three members: two coached by ``coach_a``, one by ``coach_b``; a draft cycle from T0
    for 14 days, reminders 3 days before close, no late submissions."""
    admin = make_user(Role.admin)
    coach_a, coach_b = make_user(Role.coach), make_user(Role.coach)
    members = [make_user() for _ in range(3)]
    cohort = cohorts.create_cohort(session=session, actor=admin, name="PO guild — Berlin")
    assert cohort.id is not None
    for member, coach in zip(members, [coach_a, coach_a, coach_b], strict=True):
        assert member.id is not None
        cohorts.add_member(
            session=session,
            actor=admin,
            cohort_id=cohort.id,
            user_id=member.id,
            coach_id=coach.id,
        )
    cycle = cycles.create_cycle(
        session=session,
        actor=admin,
        cohort_id=cohort.id,
        name="March",
        rubric_id="mini",
        rubric_version=None,
        opens_at=T0,
        closes_at=T0 + timedelta(days=14),
        reminder_days=3,
    )
    session.commit()
    return Programme(admin, coach_a, coach_b, members, cohort, cycle)
