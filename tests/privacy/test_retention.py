"""Retention: assessments untouched for STEPWISE_RETENTION_MONTHS go, with their dependents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.coaching.models import CoachReview, PlanAction
from app.core.config import get_settings
from app.jobs.registry import get_task
from app.privacy.retention import RETENTION_TASK, apply_retention, months_before
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.reviews import finalize_a_review

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _age(session: Session, assessment_id: int, when: datetime) -> None:
    row = session.get(Assessment, assessment_id)
    assert row is not None
    row.updated_at = when
    session.add(row)
    session.commit()


def _ids(session: Session, model: type, column: str, value: int) -> list[int]:
    return list(session.exec(select(model.id).where(col(getattr(model, column)) == value)).all())  # type: ignore[attr-defined]


def test_old_assessments_and_their_dependents_go_once(
    session: Session, submitted: SubmitFactory, participant: User, coach: User
) -> None:
    old, recent = submitted(participant), submitted(participant)
    finalize_a_review(
        session, coach, old, shared_notes="s", private_notes="p", action_title="Old action"
    )
    _age(session, old, months_before(NOW, 12) - timedelta(seconds=1))
    _age(session, recent, months_before(NOW, 12) + timedelta(days=1))

    assert apply_retention(session=session, now=NOW, months=0) == 0  # off: keep everything
    assert apply_retention(session=session, now=NOW, months=12) == 1
    session.expire_all()
    assert session.get(Assessment, old) is None
    assert session.get(Assessment, recent) is not None
    assert not _ids(session, CoachReview, "assessment_id", old)
    assert not _ids(session, PlanAction, "assessment_id", old)
    # Idempotent: the next run (or a second worker) finds nothing more.
    assert apply_retention(session=session, now=NOW, months=12) == 0
    assert session.get(Assessment, recent) is not None


def test_the_periodic_job_follows_the_setting(
    session: Session,
    submitted: SubmitFactory,
    participant: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = get_task(RETENTION_TASK)
    assert spec.cron == "29 3 * * *"
    aid = submitted(participant)
    _age(session, aid, datetime(2000, 1, 1, tzinfo=UTC))
    spec.fn(session=session)  # default: off
    assert session.get(Assessment, aid) is not None
    monkeypatch.setenv("STEPWISE_RETENTION_MONTHS", "24")
    get_settings.cache_clear()
    try:
        spec.fn(session=session)
    finally:
        monkeypatch.delenv("STEPWISE_RETENTION_MONTHS")
        get_settings.cache_clear()
    session.expire_all()
    assert session.get(Assessment, aid) is None


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 8, tzinfo=UTC), 1, datetime(2026, 2, 28, 8, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
        (datetime(2026, 6, 15, tzinfo=UTC), 0, datetime(2026, 6, 15, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(
    moment: datetime, months: int, expected: datetime
) -> None:
    assert months_before(moment, months) == expected
