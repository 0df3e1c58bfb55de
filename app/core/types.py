"""Bounded input types for every boundary: ids, versions, whole numbers from forms.

A database integer column has a range (PostgreSQL ``INTEGER``: 2^31 - 1;
SQLite: 2^63 - 1) and Python's ``int()`` refuses text over 4,300 digits. An
unbounded ``int`` from a path, query, header, body or form therefore reaches
the driver or the parser and becomes a 500. Every id and version is checked
here, at the edge, against the narrowest range we store:

* ``Id`` -- a row id, ``1 .. 2^31 - 1``. Use it for path and query
  parameters (``assessment_id: Id``, ``Annotated[Id, Query()]``). Out of
  range answers a **located 422** (``loc: ["path", "assessment_id"]``): the
  range is public (it is in the OpenAPI schema), so refusing it says nothing
  about which ids exist; an in-range id that is not yours is still 404.
* ``Version`` -- an optimistic-lock version, same range (body ``version``
  fields, the ``If-Match`` header via :func:`parse_bounded_int`).
* HTML page paths use the ``{name:id}`` convertor registered here (digits
  only, any length, never an ``int()`` of thousands of digits), with ``Id``
  on the parameter.
* :func:`parse_bounded_int` reads a whole number from text (a form field,
  a header) without ever calling ``int()`` on more digits than the range
  allows.
"""

from __future__ import annotations

from typing import Annotated

import annotated_types as at
from starlette.convertors import Convertor, register_url_convertor

#: PostgreSQL ``INTEGER``'s maximum: the narrowest id and version column.
MAX_ID = 2**31 - 1
MAX_VERSION = MAX_ID
_MAX_DIGITS = len(str(MAX_ID))

#: A row id from outside: a path or query parameter.
Id = Annotated[int, at.Interval(ge=1, le=MAX_ID)]
#: The version a write is based on (``version`` in a body).
Version = Annotated[int, at.Interval(ge=1, le=MAX_VERSION)]


def parse_bounded_int(text: str, *, lo: int, hi: int) -> int | None:
    """The whole number ``text`` spells when it is within ``lo..hi``, else ``None``.

    ASCII digits only (no sign, no spaces, no ``_``); leading zeros are fine.
    Never converts more digits than ``hi`` has, whatever the length of ``text``.
    """
    if not text or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(hi)):
        return None
    value = int(digits)
    return value if lo <= value <= hi else None


class IdConvertor(Convertor[int]):
    """``{name:id}`` in a page path: any run of digits; too many digits read as ``MAX_ID + 1``.

    Starlette's ``int`` convertor calls ``int()`` on the whole match, which
    raises (a 500) past 4,300 digits. Here an over-long number becomes a
    value just out of range, so the ``Id`` parameter answers the same located
    422 as any other out-of-range id.
    """

    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        digits = value.lstrip("0") or "0"
        return int(digits) if len(digits) <= _MAX_DIGITS else MAX_ID + 1

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
