"""Column types, fields and the id every domain's tables share.

Each helper spells one column the way every table already has it (the same
type, nullability and Python-side default as in the migrations), so a model
lists only what is its own. Nullability follows the annotation unless a
helper says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from types import EllipsisType
from typing import Any, Literal

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from app.core.timeutils import as_utc, utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that comes back aware on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None


class IdRow(SQLModel):
    """The base of a table whose key is an integer ``id`` (``class User(IdRow, table=True)``).

    Not a table itself: each table gets its own ``id`` column, ``None`` until
    the row is flushed. Inherited fields come first, and ``id`` is the first
    column of every such table, so the column order stays as migrated.
    """

    id: int | None = Field(default=None, primary_key=True)


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


def timestamp(*, index: bool = False) -> Any:
    """A required :class:`UTCDateTime` field (``expires_at``, ``opens_at``)."""
    return Field(sa_type=UTCDateTime, index=index)


def timestamp_now(*, index: bool = False) -> Any:
    """A :class:`UTCDateTime` field that is the current time when the row is made.

    ``created_at``, ``updated_at`` and every "when it happened" column: the
    default is applied in Python (no server default), as the migrations have
    it. Nullable only if annotated ``datetime | None``.
    """
    return Field(default_factory=utcnow, sa_type=UTCDateTime, index=index)


def optional_timestamp() -> Any:
    """A nullable :class:`UTCDateTime` field, ``None`` until the moment comes (``closed_at``)."""
    return Field(default=None, sa_type=UTCDateTime)


def text_column(*, default: str | EllipsisType | None = ...) -> Any:
    """An unbounded ``TEXT`` field: required (``...``), ``""`` by default, or nullable (``None``).

    Only ``None`` makes the column nullable; the default lives in Python
    only, as the migrations have it. A fresh ``Column`` each call.
    """
    column = Column(Text, nullable=default is None)
    if default is ...:
        return Field(sa_column=column)
    return Field(default=default, sa_column=column)
