"""Cached PDFs and share links.

``report_cache`` holds rendered PDFs keyed by the SHA-256 of everything that
goes into them (:func:`app.reports.cache.cache_key`), in the database so every
worker and machine shares it; with ``STEPWISE_REPORT_CACHE_DIR`` set the bytes
go to that (shared) directory instead and the row only records them. One row
per assessment and paper size is kept: a new render replaces the old one.

``report_share_links`` lets a participant give one report to someone without
an account. Only the SHA-256 of the link's secret (256 random bits) is stored,
so a database leak does not leak working links; a link expires, can be
revoked, and serves that one PDF and nothing else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from app.core.columns import IdRow, id_reference, optional_timestamp, timestamp, timestamp_now


class ReportCache(SQLModel, table=True):
    __tablename__ = "report_cache"

    #: SHA-256 (hex) of the report's content, template version, rubric and paper; also the ETag.
    key: str = Field(primary_key=True, max_length=64)
    assessment_id: int = id_reference("assessments.id", index=True)
    paper: str = Field(max_length=8)
    #: The PDF, or ``None`` when it is stored in the report cache directory.
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    size: int
    created_at: datetime = timestamp_now()


class ReportShareLink(IdRow, table=True):
    __tablename__ = "report_share_links"

    assessment_id: int = id_reference("assessments.id", index=True)
    created_by: int = id_reference("users.id")
    #: SHA-256 (hex) of the secret in the link; the secret itself is shown once.
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    paper: str = Field(default="a4", max_length=8)
    created_at: datetime = timestamp_now()
    expires_at: datetime = timestamp()
    revoked_at: datetime | None = optional_timestamp()


class ReportRenderLease(SQLModel, table=True):
    """A render in progress, so that a report is rendered once however many ask at once.

    The row is a lock shared by every server process: whoever inserts the key
    renders, the others wait for the cache. It names the user it renders for,
    which bounds how many renders one user may have in flight. A lease that
    outlives ``expires_at`` belonged to a process that died mid-render and is
    ignored (and cleared by the next acquirer).
    """

    __tablename__ = "report_render_leases"

    #: The report's cache key (:func:`app.reports.cache.cache_key`).
    key: str = Field(primary_key=True, max_length=64)
    user_id: int = id_reference("users.id", index=True)
    acquired_at: datetime = timestamp_now()
    expires_at: datetime = timestamp()
