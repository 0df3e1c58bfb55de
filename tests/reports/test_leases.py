"""Render leases: one holder per report, a bounded number per user, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.core.exceptions import TooManyRequests
from app.core.timeutils import utcnow
from app.reports.leases import acquire_lease, lease_held, release_lease
from app.reports.models import ReportRenderLease


def _take(session: Session, key: str, user: User, *, per_user: int = 2) -> bool:
    assert user.id is not None
    return acquire_lease(
        session=session, key=key, user_id=user.id, ttl_seconds=60, per_user=per_user
    )


def test_the_first_caller_renders_and_the_next_waits(session: Session, participant: User) -> None:
    assert _take(session, "a" * 64, participant) is True
    assert lease_held(session=session, key="a" * 64)
    assert _take(session, "a" * 64, participant) is False  # same report: wait for it
    release_lease(session=session, key="a" * 64)
    assert not lease_held(session=session, key="a" * 64)
    assert _take(session, "a" * 64, participant) is True


def test_a_user_has_a_bounded_number_of_renders_in_flight(
    session: Session, participant: User, coach: User
) -> None:
    assert _take(session, "1" * 64, participant)
    assert _take(session, "2" * 64, participant)
    with pytest.raises(TooManyRequests) as raised:
        _take(session, "3" * 64, participant)
    assert raised.value.status_code == 429 and raised.value.headers == {"Retry-After": "10"}
    assert _take(session, "3" * 64, coach)  # someone else is not held up by it
    release_lease(session=session, key="1" * 64)
    assert _take(session, "4" * 64, participant)


def test_an_expired_lease_is_taken_over(session: Session, participant: User) -> None:
    assert participant.id is not None
    past = utcnow() - timedelta(minutes=5)
    session.add(
        ReportRenderLease(key="e" * 64, user_id=participant.id, acquired_at=past, expires_at=past)
    )
    session.flush()
    assert not lease_held(session=session, key="e" * 64)
    assert _take(session, "e" * 64, participant, per_user=1) is True
