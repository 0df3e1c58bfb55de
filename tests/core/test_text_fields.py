"""The one check of free text: trimmed, refused past its limit with one located message."""

from __future__ import annotations

import pytest

from app.core.exceptions import InvalidInput
from app.core.text_fields import checked_description, checked_text, too_long


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


def test_every_free_text_is_refused_with_the_same_located_message() -> None:
    """Titles, names, messages and comments share the wording of descriptions."""
    assert checked_text(None, loc=["body", "title"], max_length=3, refusal="Too long") == ""
    assert checked_text(" abc ", loc=["body", "title"], max_length=3, refusal="Too long") == "abc"
    with pytest.raises(InvalidInput) as raised:
        checked_text("abcd", loc=["body", "title"], max_length=3, refusal="The title is too long")
    assert raised.value.detail == "The title is too long"
    assert raised.value.errors == [too_long(["body", "title"], 3)]
    assert too_long(["body", "c", "x"], 7) == {
        "loc": ["body", "c", "x"],
        "msg": "must be at most 7 characters",
        "type": "value_error",
    }
