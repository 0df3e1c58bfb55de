"""The shared description check of cohorts and webhook endpoints."""

from __future__ import annotations

import pytest

from app.core.descriptions import checked_description
from app.core.exceptions import InvalidInput


def test_a_description_is_trimmed() -> None:
    assert checked_description("  Spring intake \n", max_length=20) == "Spring intake"


def test_a_description_at_the_limit_is_kept_and_past_it_is_located() -> None:
    assert checked_description("x" * 5, max_length=5) == "xxxxx"
    with pytest.raises(InvalidInput) as raised:
        checked_description(" " + "x" * 6 + " ", max_length=5)
    assert raised.value.detail == "The description is too long"
    assert raised.value.errors is not None
    assert raised.value.errors[0]["loc"] == ["body", "description"]
    assert raised.value.errors[0]["msg"] == "must be at most 5 characters"
