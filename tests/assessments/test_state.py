"""Stored answer encoding and the progress helper the review page uses."""

from __future__ import annotations

import pytest

from app.assessments.state import Progress, decode_value, encode_value


@pytest.mark.parametrize("value", [0, 1, 5, -2, 100, "n/a"])
def test_values_round_trip_through_storage(value: int | str) -> None:
    stored = encode_value(value)
    assert len(stored) <= 8 and decode_value(stored) == value


@pytest.mark.parametrize(
    ("answered", "total", "percent", "complete"),
    [(0, 230, 0, False), (229, 230, 99, False), (230, 230, 100, True), (0, 0, 100, True)],
)
def test_progress(answered: int, total: int, percent: int, complete: bool) -> None:
    progress = Progress(answered=answered, total=total)
    assert (progress.percent, progress.complete) == (percent, complete)
