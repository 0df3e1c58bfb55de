"""What the feedback results tests start from: an assessment the seven raters answered."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts.models import User
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.feedback_raters import MINI_RATERS, store_raters


@pytest.fixture
def rated(session: Session, submitted: SubmitFactory, participant: User) -> int:
    """The id of ``participant``'s submitted ``mini`` assessment with ``MINI_RATERS`` stored."""
    aid = submitted(participant)
    store_raters(session, assessment_id=aid, raters=MINI_RATERS)
    return aid
