"""The median and mean of a tally (value -> count), shared by team insights and feedback."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scoring.tallies import mean_of, median_of


def test_median_and_mean_from_counts() -> None:
    # 1,1,2,3 -> median 1.5, mean 7/4
    assert median_of({1: 2, 2: 1, 3: 1}) == 1.5
    assert mean_of({1: 2, 2: 1, 3: 1}) == pytest.approx(1.75)
    # 0,2,2,2,4 -> median 2
    assert median_of({0: 1, 2: 3, 4: 1}) == 2
    assert median_of({3: 1}) == 3
    assert median_of({}) is None and mean_of({1: 0}) is None
    # negative shifts: -1,-1,0,2 -> median -0.5, mean 0
    assert median_of({-1: 2, 0: 1, 2: 1}) == -0.5
    assert mean_of({-1: 2, 0: 1, 2: 1}) == 0


def test_zero_counts_take_no_part() -> None:
    assert median_of({1: 1, 2: 0, 5: 1}) == 3
    assert mean_of({1: 1, 2: 0, 5: 1}) == 3


@given(st.lists(st.integers(min_value=-10, max_value=10), min_size=1, max_size=40))
def test_the_same_as_over_the_list(values: list[int]) -> None:
    tally = Counter(values)
    median = median_of(tally)
    assert isinstance(median, float)
    assert median == statistics.median(values)
    assert mean_of(tally) == pytest.approx(statistics.fmean(values))
