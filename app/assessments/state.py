"""What the service hands to routes, pages and other domains: plain, read-only data.

An :class:`AssessmentState` is one assessment with its pinned rubric and
answers; an :class:`AssessmentSummary` a line of a history (no answers).
Both are frozen dataclasses of plain fields -- :class:`AssessmentRecord` and
:class:`RubricRef` are snapshots of the rows, not the rows -- so nobody
outside the service can change an assessment by accident, or lazy-load
from a session that is gone. Routes shape them into JSON through
:func:`assessment_document` (the one definition of the API's shape, also
the ``current`` of a conflict); pages render them. ``progress`` and
``missing`` are computed from the pinned rubric so they never disagree with
what submission checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from app.assessments.models import Assessment, Status
from app.core.records import Record
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import NA, Role, Rubric
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
class AssessmentRecord(Record[Assessment]):
    """The columns of an ``assessments`` row, as they were when read."""

    id: int
    participant_id: int
    rubric_version_id: int
    title: str | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    #: The ScoringResult JSON stored at submission (None before).
    result: dict[str, Any] | None
    method: str | None
    role_id: str | None
    role_only: bool
    #: The rubric version the last upgrade moved this assessment from (None: never moved).
    upgraded_from_id: int | None

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.submitted.value

    @property
    def taken_at(self) -> datetime:
        """When it was submitted (or started, while in progress): the history's order."""
        return self.submitted_at or self.created_at

    @cached_property
    def stored_result(self) -> ScoringResult | None:
        """The stored result, as computed at submission (never re-scored).

        Validated once per record (so no slots here): a results request reads it
        from the page, the outlook, the review and the feedback, and each
        validation of the 23-behavior result costs 0.3-0.5 ms of CPU.
        """
        return ScoringResult.model_validate(self.result) if self.result is not None else None


@dataclass(frozen=True, slots=True)
class RubricRef(Record[RubricVersion]):
    """Which stored rubric version an assessment pins (without its document)."""

    id: int
    rubric_id: str
    version: str
    title: str
    content_hash: str


@dataclass(frozen=True)
class AssessmentState:
    """One assessment as a participant, coach or admin sees it."""

    assessment: AssessmentRecord
    rubric_version: RubricRef
    #: What is asked: the pinned rubric, parsed (from the rubrics domain's cache),
    #: or only its role's competencies when the assessment is limited to a role.
    rubric: Rubric
    #: item id -> answer (int on the scale or ``"n/a"``); unanswered items are absent.
    responses: dict[str, ResponseValue]
    #: The whole pinned rubric (``rubric`` itself unless limited to a role), so
    #: pages can list the competencies a limited assessment did not assess.
    pinned_rubric: Rubric | None = None

    @property
    def role(self) -> Role | None:
        """The role profile picked, if it (still) names one of the pinned rubric's roles."""
        rubric = self.pinned_rubric or self.rubric
        role_id = self.assessment.role_id
        return rubric.roles_by_id.get(role_id) if role_id else None

    @property
    def id(self) -> int:
        return self.assessment.id

    @property
    def version(self) -> int:
        return self.assessment.version

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
        return self.assessment.stored_result

    @property
    def summary(self) -> AssessmentSummary:
        """This assessment as a line of its history, from what the state holds already
        (the same record, rubric and answer count), for pages that need both."""
        return AssessmentSummary(
            self.assessment, self.rubric_version, self.rubric, len(self.responses)
        )


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    """A line of a participant's history: no answers, just progress and the stored result."""

    assessment: AssessmentRecord
    rubric_version: RubricRef
    #: The pinned rubric, parsed (cached per content hash, so shared between lines).
    rubric: Rubric
    answered: int

    @property
    def id(self) -> int:
        return self.assessment.id

    @property
    def progress(self) -> Progress:
        return Progress(answered=self.answered, total=self.rubric.item_count)

    @property
    def name(self) -> str:
        """The assessment's title, or its rubric's when it has none."""
        return self.assessment.title or self.rubric_version.title


def assessment_document(
    source: AssessmentState | AssessmentSummary, *, with_answers: bool = True
) -> dict[str, Any]:
    """The API's shape of an assessment (``AssessmentOut``; without answers the summary's).

    Plain data, so the service can put it in a conflict's ``current`` without
    knowing about the API's schemas, which validate this same dict.
    """
    row = source.assessment
    document: dict[str, Any] = {
        "id": row.id,
        "participant_id": row.participant_id,
        "title": row.title,
        "rubric": {
            "id": source.rubric_version.rubric_id,
            "version": source.rubric_version.version,
            "title": source.rubric_version.title,
        },
        "status": row.status,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "submitted_at": row.submitted_at,
        "answered": source.progress.answered,
        "total": source.progress.total,
        "method": row.method,
        "result": row.result,
        "role_id": row.role_id,
        "role_only": row.role_only,
    }
    if with_answers and isinstance(source, AssessmentState):
        document["responses"] = dict(source.responses)
        document["missing"] = source.missing
    return document
