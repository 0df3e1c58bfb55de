"""Optimistic versions of every versioned resource: the claim, the conflict, the ETag.

Assessments, coach reviews and plan actions carry a ``version`` column that
starts at 1 and goes up by one on every change. A write names the version
it is based on, and :func:`claim_version` bumps the row with one conditional
statement, ``UPDATE <table> SET version = version + 1, updated_at = :now
WHERE id = :id AND version = :expected [AND <extra conditions>]``. The
database decides atomically, across workers and machines, which of two
writers based on the same version wins; the loser matches no row and raises
:class:`VersionConflict` (409) carrying the resource as it is now, never a
silent overwrite. Once claimed, the row is locked for the rest of the
transaction (PostgreSQL row lock; on SQLite every transaction is
``BEGIN IMMEDIATE``, so the write lock is taken up front and concurrent
writers queue on the busy timeout instead of failing), so what is written or
read after the claim is consistent with the new version. Nothing here
commits or rolls back: the caller's session scope does.

Which version a write was based on: ``If-Match`` and the body's ``version``.
Clients may send it either way:

* the ``If-Match`` header with the ``ETag`` of the last response
  (``"3"``; a weak ``W/"3"`` or a bare ``3`` is accepted too), or
* a ``version`` field in the JSON body.

**Rule:** when both are sent they must agree; a disagreement is a 422 on the
header (the client is confused about what it saw, and guessing which one to
trust could turn a conflict into an overwrite). ``If-Match: *`` ("any
version") is refused for the same reason. Neither at all is 428 Precondition
Required.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import Depends, Form, Header, Response
from pydantic import BaseModel, ConfigDict
from pydantic_core import to_jsonable_python
from sqlalchemy import update
from sqlmodel import Session, SQLModel, col

from app.core.exceptions import Conflict, InvalidInput, NotFound, StepwiseError, field_error
from app.core.timeutils import utcnow
from app.core.types import MAX_VERSION, Version, parse_bounded_int

S = TypeVar("S")


class Versioned(Protocol):
    """A row with an optimistic version (assessments, reviews, plan actions ...)."""

    @property
    def version(self) -> int: ...


R = TypeVar("R", bound=Versioned)

IF_MATCH_LOC: list[str | int] = ["header", "If-Match"]


class PreconditionRequired(StepwiseError):
    """A write without the version it is based on could overwrite unseen changes."""

    status_code = 428


class VersionConflict(Conflict, Generic[S]):
    """409: a stale version, or a change to a resource that no longer takes changes.

    ``current`` (in ``extra``, so the error handler puts it in the JSON body)
    is the resource as it is now, as plain JSON data in the same shape as the
    API's reads, and the ``ETag`` header its version: a client can merge its
    pending changes and retry without another round trip. ``state`` is the
    same resource as the domain's plain state object, for pages that show it
    again (never serialised).
    """

    def __init__(self, detail: str, *, version: int, current: Mapping[str, Any], state: S):
        super().__init__(detail, current=to_jsonable_python(dict(current)))
        self.version = version
        self.state = state
        self.headers = {"ETag": etag(version)}


def stale_detail(what: str, expected: int | None, current: int, retry: str) -> str:
    """The message of a stale-version conflict, worded the same for every resource."""
    return (
        f"Version {expected} is stale: the {what} is at version {current}. "
        f"{retry} onto 'current' and retry with its version."
    )


def conflict_of(
    current: R | None,
    *,
    what: str,
    expected: int | None,
    retry: str,
    missing: str,
    state: Callable[[R], S],
    shown: Callable[[S], Mapping[str, Any]],
    closed: Callable[[R], str | None] = lambda _row: None,
) -> Exception:
    """The exception for a claim that matched no row, from ``current``, the row re-read.

    ``None`` (the row is gone) is ``NotFound(missing)``. Otherwise a
    :class:`VersionConflict` carrying ``state(current)`` (the domain's plain
    state) and ``shown`` of it (the API's shape) as ``current``. Its message is
    ``closed(current)`` when the resource no longer takes changes (a submitted
    assessment, a finalized review), else the :func:`stale_detail` of ``what``.
    Every versioned resource words and shapes its conflict through here.
    """
    if current is None:
        return NotFound(missing)
    fresh = state(current)
    detail = closed(current) or stale_detail(what, expected, current.version, retry)
    return VersionConflict(detail, version=current.version, current=shown(fresh), state=fresh)


def reread_conflict(
    session: Session,
    model: type[Any],
    row_id: int,
    *,
    what: str,
    expected: int,
    retry: str,
    shown: Callable[[Any], Mapping[str, Any]],
    missing: str,
) -> Exception:
    """:func:`conflict_of` a row read again by id, its state the row itself.

    The session's copy is stale after a lost claim, so everything is expired
    and the row read again. For resources whose conflict says nothing but
    "stale"; those with more to say (a submitted assessment, a finalized
    review) re-read their row and call :func:`conflict_of` with ``closed``.
    """
    session.expire_all()
    return conflict_of(
        session.get(model, row_id),
        what=what,
        expected=expected,
        retry=retry,
        missing=missing,
        state=lambda row: row,
        shown=shown,
    )


def claim_version(
    session: Session,
    row: SQLModel,
    *,
    expected: int,
    conflict: Callable[[], Exception],
    conditions: tuple[Any, ...] = (),
    now: datetime | None = None,
) -> None:
    """Atomically bump ``row`` to ``expected + 1`` if it is still at ``expected``, or raise.

    ``conditions`` narrow the claim further (``status = 'draft'``, say): a row
    that fails them is not claimed either. When no row matched, raises what
    ``conflict()`` returns (the resource's :class:`VersionConflict`, or
    ``NotFound`` if it is gone). On success the row is refreshed, so it holds
    the new version and is locked for the rest of the transaction.
    """
    table: Any = type(row)
    outcome = session.exec(
        update(table)
        .where(col(table.id) == row.id, col(table.version) == expected, *conditions)  # type: ignore[attr-defined]
        .values(version=col(table.version) + 1, updated_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if outcome.rowcount != 1:
        raise conflict()
    session.refresh(row)


@dataclass(frozen=True, slots=True)
class PlainVersioned:
    """A resource whose conflict says nothing but "stale" (a cohort, a webhook endpoint).

    Declared once per resource, so its claim and its conflict (the
    :func:`reread_conflict` of ``model``) are worded and shaped in one place.
    """

    model: type[Any]
    what: str
    missing: str
    shown: Callable[[Any], Mapping[str, Any]]
    retry: str = "Apply your changes"

    def conflict(self, session: Session, row_id: int, expected: int) -> Exception:
        """The 409 (or 404) of a write based on ``expected`` that lost."""
        return reread_conflict(
            session,
            self.model,
            row_id,
            what=self.what,
            expected=expected,
            retry=self.retry,
            shown=self.shown,
            missing=self.missing,
        )

    def claim(self, session: Session, row: SQLModel, expected: int) -> None:
        """:func:`claim_version` of ``row``, raising :meth:`conflict` when it lost."""
        row_id: int = row.id  # type: ignore[attr-defined]
        claim_version(
            session,
            row,
            expected=expected,
            conflict=lambda: self.conflict(session, row_id, expected),
        )


def etag(version: int) -> str:
    """The strong entity tag of a resource version, as sent in ``ETag``."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    """Answer a versioned resource with its version as the ``ETag`` to save against next."""
    response.headers["ETag"] = etag(version)


def parse_if_match(header: str | None) -> int | None:
    """The version in an ``If-Match`` header; ``None`` when the header is absent or blank."""
    if header is None or not header.strip():
        return None
    text = header.strip()
    text = text.removeprefix("W/")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    version = parse_bounded_int(text, lo=1, hi=MAX_VERSION)
    if version is None:
        raise InvalidInput(
            "If-Match must be the ETag of the version you last saw",
            errors=[
                field_error(
                    IF_MATCH_LOC,
                    'expected the ETag of a version, such as "3" (a list or * is not accepted)',
                )
            ],
        )
    return version


def expected_version(*, if_match: str | None, body_version: int | None) -> int:
    """The version a write is based on, by the rule in the module docstring."""
    header_version = parse_if_match(if_match)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise InvalidInput(
            "If-Match and the body's version disagree",
            errors=[
                field_error(
                    IF_MATCH_LOC,
                    "names a different version than the body's version; "
                    "send one, or the same in both",
                )
            ],
        )
    version = body_version if body_version is not None else header_version
    if version is None:
        raise PreconditionRequired(
            "Send the version you last saw: an If-Match header with the ETag, "
            "or a 'version' field in the body"
        )
    return version


# --- the HTTP side: the same header and body on every versioned route -----------------------

#: The ``If-Match`` request header of every versioned write.
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag of the version you last saw, e.g. "3" (or send `version`).',
    ),
]


class VersionIn(BaseModel):
    """The optional body of a write that changes nothing but the state (submit, finalize)."""

    model_config = ConfigDict(extra="forbid")

    version: Version | None = None


def _expected_from_request(body: VersionIn | None = None, if_match: IfMatch = None) -> int:
    return expected_version(if_match=if_match, body_version=body.version if body else None)


#: The version a body-less write (or one with only ``{"version": n}``) is based on.
ExpectedVersion = Annotated[int, Depends(_expected_from_request)]


Body = TypeVar("Body")


@dataclass(frozen=True, slots=True)
class _AnswersWithETag:
    """The response of a versioned write, which must tell its new version (the ``ETag``)."""

    response: Response

    def answer(self, version: int, body: Body) -> Body:
        """``body``, with the resource's new ``version`` as the response's ``ETag``."""
        set_etag(self.response, version)
        return body


@dataclass(frozen=True, slots=True)
class VersionedWriteIn(_AnswersWithETag):
    """A body-less versioned write (submit, finalize): the version it is based on, and the
    response that answers with the new version as its ``ETag``."""

    expected: int


def _versioned_write(response: Response, expected: ExpectedVersion) -> VersionedWriteIn:
    return VersionedWriteIn(response=response, expected=expected)


#: The parameters of every body-less versioned write, declared once.
VersionedWrite = Annotated[VersionedWriteIn, Depends(_versioned_write)]


class VersionedBody(Protocol):
    """The JSON body of a versioned write, which may name the version it is based on."""

    @property
    def version(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class VersionedUpdateIn(_AnswersWithETag):
    """The ``If-Match`` header of a versioned write with a JSON body (a PATCH, say), and the
    response that answers with the new version as its ``ETag``.

    The route keeps declaring its body itself (so the API documents it, and validates
    it, as any other body) and asks :meth:`expected` for the version when it calls the
    service, which is when a missing or contradictory version is reported.
    """

    if_match: str | None

    def expected(self, body: VersionedBody) -> int:
        """The version the write is based on: ``If-Match`` or ``body.version``."""
        return expected_version(if_match=self.if_match, body_version=body.version)


def _versioned_update(response: Response, if_match: IfMatch = None) -> VersionedUpdateIn:
    return VersionedUpdateIn(response=response, if_match=if_match)


#: The ``If-Match`` header and the response of every versioned write with a body, declared once.
VersionedUpdate = Annotated[VersionedUpdateIn, Depends(_versioned_update)]

#: The version a no-JS form was based on (a hidden ``version`` field).
FormVersion = Annotated[Version, Form()]

PRECONDITION_REQUIRED_RESPONSE: dict[str, str] = {
    "description": "Neither If-Match nor version was sent"
}


def versioned_responses(*, conflict: str, invalid: str) -> dict[int | str, dict[str, Any]]:
    """The error answers every versioned write documents: 409 stale, 422 bad input, 428 no
    version; ``conflict`` and ``invalid`` say what they mean for this resource."""
    return {
        409: {"description": conflict},
        422: {"description": invalid},
        428: PRECONDITION_REQUIRED_RESPONSE,
    }
