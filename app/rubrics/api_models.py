"""API shapes for rubrics (the file format itself is :mod:`app.rubrics.schemas`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.core.api_schemas import from_row
from app.rubrics.models import RubricVersion
from app.rubrics.service import rubric_of


class RubricRefOut(BaseModel):
    """Which rubric version something was taken against (assessments, reviews)."""

    id: str
    version: str
    title: str

    @classmethod
    def of(cls, row: RubricVersion) -> RubricRefOut:
        return cls(id=row.rubric_id, version=row.version, title=row.title)


class RubricSummary(BaseModel):
    id: str
    version: str
    title: str
    description: str
    content_hash: str
    competencies: int
    behaviors: int
    items: int

    @classmethod
    def of(cls, row: RubricVersion) -> RubricSummary:
        rubric = rubric_of(row)
        return from_row(
            cls,
            row,
            id=row.rubric_id,
            description=rubric.description,
            competencies=len(rubric.competencies),
            behaviors=sum(len(c.behaviors) for c in rubric.competencies),
            items=rubric.item_count,
        )


class RubricDetail(BaseModel):
    """The whole rubric document as authored, plus its stored identity."""

    content_hash: str
    is_current: bool
    rubric: dict[str, Any]

    @classmethod
    def of(cls, row: RubricVersion) -> RubricDetail:
        return cls(content_hash=row.content_hash, is_current=row.is_current, rubric=row.document)
