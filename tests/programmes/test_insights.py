"""Team insight figures against hand-computed cases (the pure shaping)."""

from __future__ import annotations

import pytest

from app.programmes.insights import (
    Audience,
    BehaviorRef,
    Source,
    apart,
    shape_change,
    shape_distributions,
    shape_heatmap,
    suppress_cells,
)

LEVELS = (0, 1, 2, 3, 4)
BEHAVIORS = tuple(BehaviorRef(f"b{i}", f"Behavior {i}", "c1", "Competency") for i in range(1, 5))


def test_distribution_for_an_admin_shows_every_cell() -> None:
    # b1: levels 1,1,2,3 ; b2: 3,3,4,4 ; b3: 0,0,0,1 ; b4: 2,2,2,2
    counts = [
        ("b1", 1, 2), ("b1", 2, 1), ("b1", 3, 1),
        ("b2", 3, 2), ("b2", 4, 2),
        ("b3", 0, 3), ("b3", 1, 1),
        ("b4", 2, 4),
    ]  # fmt: skip
    shaped = shape_distributions(
        behaviors=BEHAVIORS, levels=LEVELS, counts=counts, group_size=4,
        source=Source.self, audience=Audience.individual, minimum=5,
    )  # fmt: skip
    b1 = shaped.behaviors[0]
    assert [c.count for c in b1.counts] == [0, 2, 1, 1, 0]
    assert b1.rated == 4 and b1.mean == pytest.approx(1.75) and b1.median == 1.5
    assert [r.behavior.id for r in shaped.strongest] == ["b2", "b4"]  # means 3.5, 2
    assert [r.behavior.id for r in shaped.weakest] == ["b3", "b1"]  # means 0.25, 1.75
    assert shaped.behaviors[2].median == 0


def test_a_lead_never_sees_a_cell_under_the_minimum_nor_one_derivable() -> None:
    # 12 members: level 1 x1, level 2 x6, level 3 x5
    counts = [("b1", 1, 1), ("b1", 2, 6), ("b1", 3, 5)]
    shaped = shape_distributions(
        behaviors=BEHAVIORS[:1], levels=LEVELS, counts=counts, group_size=12,
        source=Source.self, audience=Audience.aggregate, minimum=5,
    )  # fmt: skip
    row = shaped.behaviors[0]
    shown = [c.count for c in row.counts]
    # the 1 is hidden, and so is the 5 (the smallest other), so 12 - 6 = 6 hidden people
    assert shown == [0, None, 6, None, 0]
    assert row.suppressed
    for count in shown:
        assert count is None or count == 0 or count >= 5


def test_a_lead_sees_no_row_rated_by_a_count_close_to_the_group() -> None:
    # group of 10, only 8 rated b1: 10 and 8 differ by fewer than 5
    counts = [("b1", 2, 8), ("b2", 2, 10)]
    shaped = shape_distributions(
        behaviors=BEHAVIORS[:2], levels=LEVELS, counts=counts, group_size=10,
        source=Source.coach, audience=Audience.aggregate, minimum=5,
    )  # fmt: skip
    assert shaped.behaviors[0].rated is None and shaped.behaviors[0].mean is None
    assert shaped.behaviors[1].rated == 10
    assert apart(10, 10, minimum=5) and apart(10, 5, minimum=5) and not apart(10, 6, minimum=5)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({1: 5, 2: 5}, {1: 5, 2: 5}),
        ({1: 2, 2: 3, 3: 9}, {1: None, 2: None, 3: 9}),
        ({1: 1, 2: 9}, {1: None, 2: None}),
        ({0: 0, 1: 4, 2: 6, 3: 7}, {0: 0, 1: None, 2: None, 3: 7}),
    ],
)
def test_suppressed_cells(counts: dict[int, int], expected: dict[int, int | None]) -> None:
    assert suppress_cells(counts, minimum=5) == expected


def test_change_is_the_median_and_mean_shift_of_the_paired_members() -> None:
    # b1 shifts: -1,0,1,1,2 ; b2: +1 for 2 members
    shifts = [("b1", -1, 1), ("b1", 0, 1), ("b1", 1, 2), ("b1", 2, 1), ("b2", 1, 2)]
    admin = shape_change(
        behaviors=BEHAVIORS[:3], shifts=shifts, source=Source.self,
        audience=Audience.individual, minimum=5,
    )  # fmt: skip
    b1, b2, b3 = admin.behaviors
    assert (b1.paired, b1.median_shift, b1.mean_shift) == (5, 1, pytest.approx(0.6))
    assert (b2.paired, b2.median_shift, b2.mean_shift) == (2, 1, 1)
    assert (b3.paired, b3.median_shift) == (0, None)
    lead = shape_change(
        behaviors=BEHAVIORS[:2], shifts=shifts, source=Source.self,
        audience=Audience.aggregate, minimum=5,
    )  # fmt: skip
    assert lead.behaviors[0].median_shift == 1
    assert lead.behaviors[1].paired is None and lead.behaviors[1].mean_shift is None


def test_heatmap_rows_follow_the_page_and_behaviors_the_rubric() -> None:
    heatmap = shape_heatmap(
        behaviors=BEHAVIORS[:2],
        members=[(7, "Ada"), (3, "Bo")],
        levels=[(3, "b1", 2), (7, "b2", 4), (7, "b1", 1)],
        source=Source.coach,
    )
    assert [row.name for row in heatmap.rows] == ["Ada", "Bo"]
    assert dict(heatmap.rows[0].levels) == {"b1": 1, "b2": 4}
    assert dict(heatmap.rows[1].levels) == {"b1": 2}
