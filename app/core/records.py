"""Plain snapshots of ORM rows: what services hand out instead of the rows themselves.

A domain's state objects are frozen dataclasses whose fields are named like
the columns they copy (``AssessmentRecord``, ``ReviewRecord`` ...), so a
template or schema reads them exactly as it read the row, but nothing can
change the database through them or lazy-load after the session is gone.
:func:`snapshot` fills one from a row by those names; a record class derives
from :class:`Record` (``class ReviewRecord(Record[CoachReview])``) to get its
``of(row)`` instead of writing it again.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Generic, Self, TypeVar

T = TypeVar("T")
Row = TypeVar("Row")


def snapshot(cls: type[T], row: object) -> T:
    """A ``cls`` (a dataclass) holding ``row``'s values of the fields ``cls`` declares."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    values: dict[str, Any] = {name: getattr(row, name) for name in names}
    return cls(**values)


class Record(Generic[Row]):
    """The base of a snapshot dataclass of ``Row`` (slots kept: it adds no attributes)."""

    __slots__ = ()

    @classmethod
    def of(cls, row: Row) -> Self:
        return snapshot(cls, row)
