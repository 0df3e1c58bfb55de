"""Helpers for the coaching tests; the shared ones (``submitted``, ``api_for``,
``browser_for``, ``mini``, ``product_owner``) live in ``tests/fixtures/``.

Assessments are made through the assessments service (create, save, submit),
exactly as a participant would, so reviews sit on real stored results: by
default with :data:`MINI_ANSWERS`.
"""

from __future__ import annotations

from app.rubrics.schemas import Rubric
from tests.fixtures.api import Api, Headers
from tests.fixtures.assessments import MINI_INCONSISTENT, SubmitFactory
from tests.fixtures.web import Browser

__all__ = ["MINI_ANSWERS", "Api", "Browser", "Headers", "SubmitFactory", "rate_all"]

#: What ``submitted`` answers here (the shared default): planning reaches
#: practitioner (2) and stops at expert; review stops at novice (0) although
#: its expert items are endorsed: inconsistent.
MINI_ANSWERS = MINI_INCONSISTENT


def rate_all(rubric: Rubric, level: int = 1) -> dict[str, dict[str, int]]:
    """A ratings patch giving every behavior ``level`` (a level each behavior defines)."""
    return {b.id: {"coach_level": level} for c in rubric.competencies for b in c.behaviors}
