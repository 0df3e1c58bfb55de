"""API shapes for assessments and stateless scoring.

Answers come in as plain JSON values (``dict[str, Any]``) rather than a typed
union: the scoring module's validator knows the rubric's scale and reports
every offending item by id in one pass, which a Pydantic union cannot do (it
would report type errors with union-branch noise and could not check the scale).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.assessments.state import AssessmentState, AssessmentSummary, assessment_document
from app.core.types import Version
from app.rubrics.api_models import RubricRefOut

#: Far above any real questionnaire; bounds the work one request can cause.
MAX_RESPONSES = 5000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessmentCreate(_In):
    rubric_id: str = Field(min_length=1, max_length=64)
    #: A stored rubric version; the current one when omitted.
    version: str | None = Field(default=None, min_length=1, max_length=32)
    title: str | None = Field(default=None, max_length=200)


class ResponsesPatch(_In):
    """Some answers: an integer on the scale, ``"n/a"`` where allowed, ``null`` to clear."""

    #: The version you last saw (or send ``If-Match``); see docs/api.md.
    version: Version | None = None
    responses: dict[str, Any] = Field(max_length=MAX_RESPONSES)


class RoleChoice(_In):
    """The role profile for an assessment (``null``: none), and whether to ask only its part."""

    #: The version you last saw (or send ``If-Match``); see docs/api.md.
    version: Version | None = None
    role_id: str | None = Field(default=None, min_length=1, max_length=64)
    #: Ask only the role's competencies (the others are "not assessed").
    role_only: bool = False


class ScoreIn(_In):
    rubric_id: str = Field(min_length=1, max_length=64)
    version: str | None = Field(default=None, min_length=1, max_length=32)
    #: Partial answers are fine: an omitted item (or ``null``) is unanswered.
    responses: dict[str, Any] = Field(max_length=MAX_RESPONSES)


class _AssessmentBase(BaseModel):
    id: int
    participant_id: int
    title: str | None
    rubric: RubricRefOut
    status: str
    #: The optimistic-lock version; also sent as the ``ETag`` header.
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answered: int
    total: int
    #: The scoring method of ``result`` (null until submitted).
    method: str | None
    #: The ScoringResult stored at submission (null until submitted).
    result: dict[str, Any] | None
    #: The role profile picked (an id of the rubric's roles), or null.
    role_id: str | None = None
    #: Whether the questionnaire asks only the role's competencies.
    role_only: bool = False


class AssessmentOut(_AssessmentBase):
    #: item id -> answer; unanswered items are absent.
    responses: dict[str, int | str]
    #: Unanswered item ids, in questionnaire order.
    missing: list[str]

    @classmethod
    def of(cls, state: AssessmentState) -> AssessmentOut:
        return cls.model_validate(assessment_document(state))


class AssessmentSummaryOut(_AssessmentBase):
    """A history entry: dates, progress and the stored result, without the answers."""

    @classmethod
    def of(cls, summary: AssessmentSummary) -> AssessmentSummaryOut:
        return cls.model_validate(assessment_document(summary, with_answers=False))


# --- version upgrades (docs/api.md, "Moving to a newer rubric version") ------------------


class UpgradeIn(_In):
    """Move to the rubric's current version, based on the assessment ``version`` you saw."""

    #: The version you last saw (or send ``If-Match``).
    version: Version | None = None
    #: The rubric version to move to; it must be the current one (omit it to mean that).
    to_version: str | None = Field(default=None, min_length=1, max_length=32)


class ItemToAnswerOut(BaseModel):
    item_id: str
    #: ``new`` (not in the old version) or ``changed`` (reworded, moved, or a new scale).
    change: str
    text: str


class UpgradePlanOut(BaseModel):
    rubric_id: str
    from_version: str
    to_version: str
    #: Answered items whose answers carry over.
    kept: list[str]
    #: Answered items whose answers are discarded (removed or changed items).
    dropped: list[str]
    #: Items of the new version to answer anew, in questionnaire order.
    to_answer: list[ItemToAnswerOut]
    #: The response scale changed, so no answer carries over.
    scale_changed: bool


class UpgradePreviewOut(BaseModel):
    assessment_id: int
    #: ``available``, ``latest`` (already on the current version) or ``pinned`` (submitted).
    status: str
    pinned_version: str
    current_version: str
    #: The assessment's optimistic-lock version, to send with the move.
    version: int
    plan: UpgradePlanOut | None


class UpgradeOut(BaseModel):
    plan: UpgradePlanOut
    assessment: AssessmentOut
