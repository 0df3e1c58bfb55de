"""Which version a write was based on: ``If-Match`` and the body's ``version``.

Every write to an assessment names the version the client last saw, so a
stale write is refused (409 with the current state) instead of silently
overwriting answers saved from another tab. Clients may send it either way:

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

from app.core.exceptions import InvalidInput, StepwiseError, field_error
from app.core.types import MAX_VERSION, parse_bounded_int

IF_MATCH_LOC: list[str | int] = ["header", "If-Match"]


class PreconditionRequired(StepwiseError):
    """A write without the version it is based on could overwrite unseen changes."""

    status_code = 428


def etag(version: int) -> str:
    """The strong entity tag of an assessment version, as sent in ``ETag``."""
    return f'"{version}"'


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
            "If-Match must be the ETag of the assessment version you last saw",
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
