"""Stored rubric versions.

Each (rubric id, version) is stored once with its content hash and the whole
validated document, so an assessment can pin the exact version it was taken
against and a later edit of the YAML never changes an old result or report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import deferred
from sqlmodel import Field, SQLModel

from app.core.columns import UTCDateTime
from app.core.timeutils import utcnow


class RubricVersion(SQLModel, table=True):
    __tablename__ = "rubric_versions"
    __table_args__ = (
        UniqueConstraint("rubric_id", "version", name="uq_rubric_versions_id_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rubric_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    title: str = Field(max_length=200)
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    #: True for the version found in the rubrics directory at the last load.
    is_current: bool = Field(default=False)
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# The document (~80 kB of JSON for the Product Owner rubric) is loaded only when read:
# a page that pins a version needs its id and content hash, and the parsed rubric comes
# from the cache keyed by that hash (``app.rubrics.service.rubric_of``), so decoding the
# document on every load of the row was most of the server time of the results page.
RubricVersion.__mapper__.add_property(  # type: ignore[attr-defined]
    "document",
    deferred(RubricVersion.__table__.c.document),  # type: ignore[attr-defined]
)
