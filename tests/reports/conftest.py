"""Report test helpers. The rubrics (``mini_rubric``, ``po_rubric``: from their files,
the report code needs no database) and ``submitted`` are shared (``tests/fixtures/``);
here ``submitted`` answers with :data:`MINI_ANSWERS`."""

from __future__ import annotations

import pytest

from tests.fixtures.assessments import MINI_CONSISTENT, Answers, SubmitFactory
from tests.fixtures.paths import ROOT

__all__ = ["MINI_ANSWERS", "ROOT", "SubmitFactory"]

#: Answers to ``mini`` (scale 0..4, threshold 3): planning reaches 2, review 1.
MINI_ANSWERS = MINI_CONSISTENT


@pytest.fixture
def mini_answers() -> Answers:
    return MINI_ANSWERS
