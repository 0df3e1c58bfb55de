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
from sqlmodel import Field

from app.core.columns import IdRow, timestamp, timestamp_now

SOURCE_DIRECTORY = "directory"
SOURCE_UPLOAD = "upload"


# The document (~80 kB of JSON for the Product Owner rubric) is loaded only when read:
# a page that pins a version needs its id and content hash, and the parsed rubric comes
# from the cache keyed by that hash (``app.rubrics.service.rubric_of``), so decoding the
# document on every load of the row was most of the server time of the results page.
# SQLModel takes a plain ``Column`` only, so the same column object is mapped as a
# deferred property through ``__mapper_args__`` (declarative's own hook, no warning).
_VERSION_DOCUMENT = Column("document", JSON, nullable=False)


class RubricVersion(IdRow, table=True):
    __tablename__ = "rubric_versions"
    __table_args__ = (
        UniqueConstraint("rubric_id", "version", name="uq_rubric_versions_id_version"),
    )
    __mapper_args__ = {"properties": {"document": deferred(_VERSION_DOCUMENT)}}

    rubric_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    title: str = Field(max_length=200)
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=_VERSION_DOCUMENT)
    #: The version new assessments use: the one in the rubrics directory at the
    #: last load, unless an admin uploaded a later one (``source``).
    is_current: bool = Field(default=False)
    loaded_at: datetime = timestamp_now()
    #: Where the version came from: ``directory`` (a file loaded at start-up) or
    #: ``upload`` (the admin pages, docs/rubric-admin.md).
    source: str = Field(
        default=SOURCE_DIRECTORY,
        max_length=16,
        sa_column_kwargs={"server_default": SOURCE_DIRECTORY},
    )


class RubricUpload(IdRow, table=True):
    """An uploaded rubric between its preview and its confirmation.

    The validated document waits here, not in a process's memory, so the
    confirming request may reach any worker; it expires unconfirmed
    (``STEPWISE_RUBRIC_UPLOAD_TTL_MINUTES``) and is deleted once saved.
    The form carries a random token whose hash is stored.
    """

    __tablename__ = "rubric_uploads"

    token_hash: str = Field(max_length=64, unique=True)
    #: The admin who uploaded it: only they may confirm it.
    uploaded_by: int = Field(index=True)
    filename: str = Field(max_length=200)
    rubric_id: str = Field(max_length=64)
    version: str = Field(max_length=32)
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    #: What the source format lacked and was filled in (CASE), shown again on confirm.
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp(index=True)


class RubricTranslationRow(IdRow, table=True):
    """One locale's texts for one stored rubric version (docs/rubric-format.md, Translations).

    Outside the rubric version's content hash: a translation can be added or
    fixed without a new rubric version. Each distinct text set is its own row
    with its own hash and rows are never deleted, so a report rendered with a
    translation can be rendered again with the same one; ``is_current`` marks
    the one pages use now (the file in the rubrics directory at the last load).
    """

    __tablename__ = "rubric_translations"
    __table_args__ = (
        UniqueConstraint(
            "rubric_version_id", "locale", "content_hash", name="uq_rubric_translations_hash"
        ),
    )

    rubric_version_id: int = Field(foreign_key="rubric_versions.id", index=True)
    locale: str = Field(max_length=16)
    #: The rubric version the translator worked from (it may be older: strings may be stale).
    source_version: str = Field(max_length=32)
    content_hash: str = Field(max_length=64)
    #: key path -> text (app.rubrics.translations).
    texts: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    is_current: bool = Field(default=True)
    loaded_at: datetime = timestamp_now()
