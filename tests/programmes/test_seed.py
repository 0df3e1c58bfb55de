"""The scale seed: the promised rows, real scores, a dashboard that adds up."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, func, select

from app.accounts.models import Role
from app.assessments.models import Assessment
from app.coaching.models import CoachReview
from app.core.exceptions import Conflict
from app.core.timeutils import utcnow
from app.programmes import progress
from app.programmes.seed import seed_programme
from tests.fixtures.factories import UserFactory


def test_the_seed_fills_a_cohort_with_a_closed_and_an_open_cycle(
    session: Session, make_user: UserFactory
) -> None:
    report = seed_programme(
        session=session, participants=30, coaches=3, rubric_id="mini", seed=7, now=utcnow()
    )
    assert (report.participants, report.coaches, report.assessments) == (30, 3, 60)
    closed = progress.cycle_dashboard(
        session=session,
        actor=make_user(Role.admin),
        cycle_id=report.closed_cycle_id,
        after=None,
        limit=100,
    )
    assert len(closed.members) == 30
    assert {m.stage for m in closed.members} == {"reviewed"}
    assert sum(c.total for c in closed.coaches) == 30 and len(closed.coaches) == 3
    submitted = session.exec(
        select(func.count())
        .select_from(Assessment)
        .where(col(Assessment.status) == "submitted", col(Assessment.result).is_not(None))
    ).one()
    finals = session.exec(
        select(func.count()).select_from(CoachReview).where(col(CoachReview.status) == "final")
    ).one()
    assert submitted >= 30 and finals == report.reviews >= 30
    with pytest.raises(Conflict):
        seed_programme(
            session=session, participants=30, coaches=3, rubric_id="mini", seed=7, now=utcnow()
        )
