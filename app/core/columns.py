"""Column types shared by every domain's tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Column, DateTime, ForeignKey, Integer, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlmodel import Field

from app.core.timeutils import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that comes back aware on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None


def id_reference(
    target: str,
    *,
    ondelete: Literal["CASCADE", "SET NULL"] | None = "CASCADE",
    index: bool = False,
    primary_key: bool = False,
) -> Any:
    """A field holding another table's integer id (``target``: ``"users.id"``).

    Every table spells its references the same way, so they are written once:
    ``CASCADE`` (the default) deletes the row with what it points to and makes
    the column required; ``SET NULL`` keeps the row (an audit trail) and makes
    it optional, defaulting to ``None``; ``None`` refuses to delete what is
    still pointed to (pinned rubric versions). A fresh ``Column`` each call:
    SQLAlchemy columns belong to one table.
    """
    nullable = ondelete == "SET NULL"
    column = Column(
        Integer,
        ForeignKey(target, ondelete=ondelete),
        nullable=nullable and not primary_key,
        index=index,
        primary_key=primary_key,
    )
    return Field(default=None, sa_column=column) if nullable else Field(sa_column=column)
