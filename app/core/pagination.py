"""Cursor pagination: opaque keyset cursors, a ``Page`` of items, the ``Link`` header.

Every list that can grow (people, assessments, cohorts, members, a cycle's
participations) is read one page at a time with a *keyset*: the rows are
ordered by ``(sort key, id)`` and the next page starts strictly after the
last row seen, ``WHERE sort > :k OR (sort = :k AND id > :i)``. Unlike
``OFFSET`` this costs the same on page 1 and page 1,000 (the database walks
an index on ``(sort key, id)`` from the cursor) and never skips or repeats a
row when rows are added meanwhile.

The cursor handed to clients is opaque: the last row's sort key and id, the
list it belongs to (``scope``), encoded as base64url JSON and signed with an
HMAC of the installation's secret. A cursor that was edited, truncated, made
up or taken from another list is refused with a located 422
(``loc: ["query", "after"]``) and never echoed; it is not a secret (it only
names a row the caller has seen) but signing it means the server never has
to trust its contents.

The API answers a page with the RFC 8288 ``Link: <...>; rel="next"`` header
(:func:`set_next_link`) and ``next_cursor`` in the body; the last page has
neither.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.core.config import get_settings
from app.core.exceptions import InvalidInput, field_error
from app.core.timeutils import as_utc
from app.core.types import MAX_ID

T = TypeVar("T")
Out = TypeVar("Out")

#: Rows per page when the client does not say, and the most it may ask for.
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
#: Longest cursor accepted (a cursor we issue is well under this).
MAX_CURSOR_LENGTH = 512
#: Longest text sort key a cursor carries (names are at most 254 characters).
MAX_KEY_LENGTH = 300

AFTER_LOC: list[str | int] = ["query", "after"]

SortKey = str | int | datetime
#: A sortable column: ``col(Model.field)`` (an ORM attribute) or any column expression.
SortColumn = Any


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: strictly after the row with this sort key and id."""

    key: SortKey
    id: int


class Page(BaseModel, Generic[T]):
    """One page of a list: its items in order and the cursor of the next page (or None)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    items: list[T]
    next_cursor: str | None = None


def _mac(data: bytes) -> bytes:
    key = hashlib.sha256(b"stepwise-pagination:" + get_settings().secret_key.encode()).digest()
    return hmac.new(key, data, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_cursor(cursor: Cursor, *, scope: str) -> str:
    """The opaque, signed text of ``cursor`` for the list ``scope``."""
    if isinstance(cursor.key, datetime):
        kind, key = "d", as_utc(cursor.key).isoformat()
    elif isinstance(cursor.key, bool):  # bool is an int: refuse the ambiguity
        raise TypeError("a sort key cannot be a bool")
    elif isinstance(cursor.key, int):
        kind, key = "i", str(cursor.key)
    else:
        kind, key = "s", cursor.key
    body = json.dumps({"s": scope, "t": kind, "k": key, "i": cursor.id}, separators=(",", ":"))
    data = body.encode()
    return f"{_b64(data)}.{_b64(_mac(data))}"


def bad_cursor(loc: list[str | int] = AFTER_LOC) -> InvalidInput:
    """The 422 of a cursor we did not issue for this list (the value is never echoed)."""
    msg = "not a cursor of this list; start again without it"
    return InvalidInput(
        "The page cursor is not valid for this list", errors=[field_error(loc, msg, "cursor")]
    )


def _parse_key(kind: Any, key: Any) -> SortKey:
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
        raise ValueError("key")
    if kind == "s":
        return key
    if kind == "i":
        if not key.lstrip("-").isdigit() or len(key) > 20:
            raise ValueError("key")
        return int(key)
    if kind == "d":
        return as_utc(datetime.fromisoformat(key))
    raise ValueError("kind")


def decode_cursor(
    token: str | None, *, scope: str, loc: list[str | int] = AFTER_LOC
) -> Cursor | None:
    """The cursor ``token`` stands for, ``None`` for the first page; 422 when not ours."""
    if token is None or token == "":
        return None
    if len(token) > MAX_CURSOR_LENGTH or not token.isascii() or token.count(".") != 1:
        raise bad_cursor(loc)
    body, _, mac = token.partition(".")
    try:
        data = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _mac(data)):
            raise bad_cursor(loc)
        payload = json.loads(data)
        if not isinstance(payload, dict) or payload.get("s") != scope:
            raise bad_cursor(loc)
        row_id = payload.get("i")
        if not isinstance(row_id, int) or isinstance(row_id, bool) or not 1 <= row_id <= MAX_ID:
            raise bad_cursor(loc)
        return Cursor(key=_parse_key(payload.get("t"), payload.get("k")), id=row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_cursor(loc) from None


def after_condition(
    sort: SortColumn, id_column: SortColumn, cursor: Cursor, *, descending: bool
) -> ColumnElement[bool]:
    """``(sort, id)`` strictly after ``cursor`` in the list's order (an index range scan)."""
    if descending:
        return or_(sort < cursor.key, and_(sort == cursor.key, id_column < cursor.id))
    return or_(sort > cursor.key, and_(sort == cursor.key, id_column > cursor.id))


def _attributes_of(sort_name: str, id_name: str) -> Callable[[Any], Cursor]:
    return lambda row: Cursor(key=getattr(row, sort_name), id=getattr(row, id_name))


def keyset_page(
    session: Session,
    statement: Select[Any],
    *,
    sort: SortColumn,
    id_column: SortColumn,
    after: Cursor | None,
    limit: int,
    scope: str,
    key_of: Callable[[Any], Cursor] | None = None,
    descending: bool = False,
    scalars: bool = True,
) -> Page[Any]:
    """One page of ``statement`` ordered by ``(sort, id)``, starting after ``after``.

    Reads ``limit + 1`` rows in one statement: the extra row only tells
    whether a next page exists. ``key_of`` gives a row's cursor (its sort key
    and id); without it the cursor is the row's attributes named as the two
    columns (``User.email`` and ``User.id`` of a ``User``), which is what a
    list of one entity sorted by its own columns wants. ``scalars`` reads
    single entities (``False``: whole rows).
    """
    if key_of is None:
        key_of = _attributes_of(sort.key, id_column.key)
    limit = max(1, min(limit, MAX_LIMIT))
    if after is not None:
        statement = statement.where(after_condition(sort, id_column, after, descending=descending))
    order = (sort.desc(), id_column.desc()) if descending else (sort.asc(), id_column.asc())
    statement = statement.order_by(*order).limit(limit + 1)
    result = session.execute(statement)
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    items = list(rows[:limit])
    next_cursor = (
        encode_cursor(key_of(items[-1]), scope=scope) if len(rows) > limit and items else None
    )
    return Page(items=items, next_cursor=next_cursor)


def next_link(request: Request, next_cursor: str | None) -> str | None:
    """The RFC 8288 ``Link`` value of the next page: this URL with ``after`` replaced."""
    if next_cursor is None:
        return None
    url = request.url.remove_query_params("after").include_query_params(after=next_cursor)
    return f'<{url}>; rel="next"'


def set_next_link(response: Response, request: Request, next_cursor: str | None) -> None:
    """Add the ``Link: <...>; rel="next"`` header when there is a next page."""
    link = next_link(request, next_cursor)
    if link is not None:
        response.headers["Link"] = link


#: Query parameters of every paginated API list.
AfterQuery = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="The next_cursor of the previous page"),
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]


@dataclass(frozen=True)
class PageParams:
    """The query of one page of an API list and the response to put its ``Link`` on."""

    request: Request
    response: Response
    after: str | None
    limit: int

    def link(self, next_cursor: str | None) -> None:
        set_next_link(self.response, self.request, next_cursor)

    def cursor(self, scope: str) -> Cursor | None:
        """Where the page of the list ``scope`` starts (``None``: the first); 422 when not ours."""
        return decode_cursor(self.after, scope=scope)

    def items(self, page: Page[T], out: Callable[[T], Out]) -> list[Out]:
        """The page's items as the API shows them (``out``), with its next page's ``Link``."""
        self.link(page.next_cursor)
        return [out(item) for item in page.items]


def _page_params(
    request: Request,
    response: Response,
    after: AfterQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> PageParams:
    return PageParams(request=request, response=response, after=after, limit=limit)


#: ``limit`` and ``after`` of a paginated API list, declared once (a dependency).
PageQuery = Annotated[PageParams, Depends(_page_params)]
