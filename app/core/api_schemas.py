"""Building blocks of the JSON API's response shapes, shared by every domain.

Most response schemas copy a row (or a record, :mod:`app.core.records`)
field by field under the same names; :class:`RowOut` and :func:`from_row`
do that once, by the schema's own field names, so a schema declares only
its fields and what it computes. Every growing list answers one :class:`CursorPage` of them.
Neither adds anything to the OpenAPI document: a subclass keeps its own
name, fields (in its order) and docstring.
"""

from __future__ import annotations

from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel

Source = TypeVar("Source")
Item = TypeVar("Item")
Schema = TypeVar("Schema", bound=BaseModel)


class RowOut(BaseModel, Generic[Source]):
    """A response that is a plain copy of a ``Source`` (``class CohortOut(RowOut[Cohort])``).

    :meth:`of` reads the attributes named like the schema's fields, so the
    schema lists only its fields. A schema whose ``of`` needs more than the
    row uses :func:`from_row` instead.
    """

    @classmethod
    def of(cls, row: Source) -> Self:
        return cls.model_validate(row, from_attributes=True)


def from_row(schema: type[Schema], row: object, /, **values: Any) -> Schema:
    """A ``schema`` whose fields not in ``values`` are ``row``'s attributes of the same names.

    For a schema that mostly copies a row but computes, renames or adds some
    fields: only those are spelled out (``from_row(cls, link, status=...)``).
    """
    for name in schema.model_fields:
        if name not in values:
            values[name] = getattr(row, name)
    return schema.model_validate(values)


class CursorPage(BaseModel, Generic[Item]):
    """One page of a keyset-paginated list (:mod:`app.core.pagination`).

    ``next_cursor`` is the ``after`` of the next page, ``None`` on the last;
    it is required in the body, so a client always sees it.
    """

    items: list[Item]
    next_cursor: str | None
