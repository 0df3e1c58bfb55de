"""The If-Match / body version rule, on its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.core.exceptions import InvalidInput, NotFound
from app.core.versioning import (
    PreconditionRequired,
    VersionConflict,
    conflict_of,
    etag,
    expected_version,
    parse_if_match,
    stale_detail,
)


@pytest.mark.parametrize(
    ("header", "version"),
    [(None, None), ("", None), ("  ", None), ('"3"', 3), ('W/"12"', 12), ("7", 7), (' "4" ', 4)],
)
def test_if_match_forms(header: str | None, version: int | None) -> None:
    assert parse_if_match(header) == version


@pytest.mark.parametrize("header", ["*", '"3", "4"', '"x"', '"0"', '"-1"', '"٣"', '"3'])
def test_if_match_that_names_no_single_version_is_refused(header: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_if_match(header)
    assert caught.value.errors is not None
    assert caught.value.errors[0]["loc"] == ["header", "If-Match"]


def test_either_source_or_both_when_they_agree() -> None:
    assert expected_version(if_match='"5"', body_version=None) == 5
    assert expected_version(if_match=None, body_version=5) == 5
    assert expected_version(if_match='"5"', body_version=5) == 5
    with pytest.raises(InvalidInput):
        expected_version(if_match='"5"', body_version=6)
    with pytest.raises(PreconditionRequired) as caught:
        expected_version(if_match=None, body_version=None)
    assert caught.value.status_code == 428


def test_etag_round_trips() -> None:
    assert etag(9) == '"9"' and parse_if_match(etag(9)) == 9


@dataclass
class _Row:
    version: int
    done: bool = False


def _conflict(row: _Row | None) -> Exception:
    return conflict_of(
        row,
        what="thing",
        expected=2,
        retry="Apply your change",
        missing="Thing not found",
        state=lambda r: {"row": r},
        shown=lambda s: {"version": s["row"].version},
        closed=lambda r: "This thing is done" if r.done else None,
    )


def test_a_conflict_on_a_row_that_is_gone_is_not_found() -> None:
    error = _conflict(None)
    assert isinstance(error, NotFound) and error.detail == "Thing not found"


def test_a_conflict_carries_the_current_state_its_shape_and_version() -> None:
    row = _Row(version=3)
    error = _conflict(row)
    assert isinstance(error, VersionConflict)
    assert error.detail == stale_detail("thing", 2, 3, "Apply your change")
    assert error.version == 3 and error.headers == {"ETag": '"3"'}
    assert error.state == {"row": row} and error.extra["current"] == {"version": 3}


def test_a_conflict_on_a_closed_row_says_so() -> None:
    error = _conflict(_Row(version=3, done=True))
    assert isinstance(error, VersionConflict) and error.detail == "This thing is done"
