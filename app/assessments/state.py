"""What the service hands to routes and pages: an assessment with its rubric and answers.

Routes shape these into JSON (:mod:`app.assessments.schemas`); pages render
them. ``progress`` and ``missing`` are the helpers a questionnaire's review
page needs, computed from the pinned rubric so they never disagree with what
submission checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from app.assessments.models import Assessment
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import NA, Rubric
from app.rubrics.service import rubric_of
from app.scoring import ResponseValue, ScoringResult, is_score, missing_items


def encode_value(value: ResponseValue) -> str:
    """A validated answer as stored: the integer as text, or ``"n/a"``."""
    return str(value) if is_score(value) else NA


def decode_value(stored: str) -> ResponseValue:
    """A stored answer back to what the engine takes."""
    return NA if stored == NA else int(stored)


@dataclass(frozen=True, slots=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so 229 of 230 never shows as 100."""
        return 100 * self.answered // self.total if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True)
class AssessmentState:
    """One assessment as a participant, coach or admin sees it."""

    assessment: Assessment
    rubric_version: RubricVersion
    #: item id -> answer (int on the scale or ``"n/a"``); unanswered items are absent.
    responses: dict[str, ResponseValue]

    @property
    def id(self) -> int:
        assert self.assessment.id is not None
        return self.assessment.id

    @property
    def version(self) -> int:
        return self.assessment.version

    @property
    def rubric(self) -> Rubric:
        return rubric_of(self.rubric_version)

    @cached_property
    def missing(self) -> list[str]:
        """Unanswered item ids in questionnaire order (n/a is an answer)."""
        return missing_items(self.rubric, self.responses)

    @property
    def progress(self) -> Progress:
        total = self.rubric.item_count
        return Progress(answered=total - len(self.missing), total=total)

    @property
    def result(self) -> ScoringResult | None:
        """The stored result, as computed at submission (never re-scored)."""
        stored = self.assessment.result
        return ScoringResult.model_validate(stored) if stored is not None else None


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    """A line of a participant's history: no answers, just progress and the stored result."""

    assessment: Assessment
    rubric_version: RubricVersion
    answered: int

    @property
    def progress(self) -> Progress:
        return Progress(answered=self.answered, total=rubric_of(self.rubric_version).item_count)
