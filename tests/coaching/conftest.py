"""Helpers for the coaching tests; the shared ones (``submitted``, ``api_for``,
``browser_for``, ``mini``, ``product_owner``, ``rate_all``) live in ``tests/fixtures/``.

Assessments are made through the assessments service (create, save, submit),
exactly as a participant would, so reviews sit on real stored results: by
default with :data:`MINI_ANSWERS`. Most tests here are one scene, a participant
and their coach (:class:`CoachingPair`, the ``pair`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.accounts.models import User
from app.rubrics.schemas import Rubric
from tests.fixtures.api import Api, Headers
from tests.fixtures.assessments import MINI_INCONSISTENT, Answers, SubmitFactory
from tests.fixtures.reviews import rate_all
from tests.fixtures.web import Browser

__all__ = [
    "MINI_ANSWERS",
    "Api",
    "Browser",
    "CoachingPair",
    "Headers",
    "SubmitFactory",
    "finalize",
    "rate_all",
    "start_rated_review",
]

#: What ``submitted`` answers here (the shared default): planning reaches
#: practitioner (2) and stops at expert; review stops at novice (0) although
#: its expert items are endorsed: inconsistent.
MINI_ANSWERS = MINI_INCONSISTENT


@dataclass(frozen=True)
class CoachingPair:
    """A participant and the coach assigned to them, and the ways a test acts as either.

    Each ``*_api()`` and ``*_browser()`` call signs in afresh (a new token, a new web
    session), exactly as ``api_for(user)`` and ``browser_for(user)`` do.
    """

    participant: User
    coach: User
    api_for: Callable[[User], Api]
    browser_for: Callable[[User], Browser]
    submitted: SubmitFactory

    def submit(self, answers: Answers | None = None, **kwargs: Any) -> int:
        """The participant submits an assessment (``submitted``'s defaults): its id."""
        return self.submitted(self.participant, answers, **kwargs)

    def coach_api(self) -> Api:
        return self.api_for(self.coach)

    def coach_browser(self) -> Browser:
        return self.browser_for(self.coach)

    def participant_api(self) -> Api:
        return self.api_for(self.participant)

    def participant_browser(self) -> Browser:
        return self.browser_for(self.participant)


@pytest.fixture
def pair(
    participant: User,
    coach: User,
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
    submitted: SubmitFactory,
) -> CoachingPair:
    """The participant and their assigned coach (the ``participant`` and ``coach`` fixtures)."""
    return CoachingPair(participant, coach, api_for, browser_for, submitted)


def start_rated_review(api: Api, assessment_id: int, rubric: Rubric) -> tuple[int, int]:
    """A coach's session on the assessment with every behavior rated: (id, version)."""
    review = api.start(assessment_id)
    saved = api.save(review["id"], review["version"], ratings=rate_all(rubric))
    assert saved.status_code == 200, saved.text
    return review["id"], saved.json()["version"]


def finalize(api: Api, review_id: int) -> None:
    """The coach finalizes the review at its current version."""
    version = api.ok("GET", f"/reviews/{review_id}")["version"]
    api.ok("POST", f"/reviews/{review_id}/finalize", json={"version": version})
