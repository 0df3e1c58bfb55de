"""The If-Match / body version rule, on its own."""

from __future__ import annotations

import pytest

from app.core.exceptions import InvalidInput
from app.core.versioning import (
    PreconditionRequired,
    etag,
    expected_version,
    parse_if_match,
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
