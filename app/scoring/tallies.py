"""Statistics of a tally: a multiset given as value -> how many times it occurs.

Figures over levels arrive as tallies rather than lists: the database groups
members per (behavior, level) (:mod:`app.programmes.insights`), and raters are
counted per level of a behavior's scale (:mod:`app.feedback.aggregation`). One
median and one mean for both keep a team's and a participant's "median level"
the same number for the same answers (a half when the two middles differ).
"""

from __future__ import annotations

from collections.abc import Mapping


def median_of(counts: Mapping[int, int]) -> float | None:
    """The median of a multiset given as value → count (the mean of the two middles if even)."""
    total = sum(counts.values())
    if total == 0:
        return None
    middles = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > middles[len(found)]:
            found.append(value)
    return (found[0] + found[1]) / 2


def mean_of(counts: Mapping[int, int]) -> float | None:
    """The mean of a multiset given as value → count; None when it is empty."""
    total = sum(counts.values())
    if total == 0:
        return None
    return sum(value * count for value, count in counts.items()) / total
