"""Rubric health figures against numbers worked out by hand (docs/rubric-health.md).

The fixture (four respondents to ``mini``) is tabled in ``tests/fixtures/health.py``.
Every expected value below is written out as the sums of squares and
cross-products of its columns, not computed by the code under test.
"""

from __future__ import annotations

import json
import math

import pytest

from app.rubrics.loader import load_rubric_file
from app.scoring.health import (
    BehaviorHealth,
    RubricHealth,
    Thresholds,
    corrected_item_total,
    cronbach_alpha,
    rubric_health,
)
from tests.fixtures.health import ANSWERS
from tests.fixtures.paths import FIXTURE_RUBRICS

MINI = load_rubric_file(FIXTURE_RUBRICS / "mini.yaml").rubric


def _behavior(report_behaviors: tuple[BehaviorHealth, ...], behavior_id: str) -> BehaviorHealth:
    return next(b for b in report_behaviors if b.id == behavior_id)


@pytest.fixture(scope="module")
def report() -> RubricHealth:
    return rubric_health(MINI, ANSWERS, min_n=4)


def test_planning_alpha_by_hand(report: RubricHealth) -> None:
    planning = _behavior(report.behaviors, "planning")
    # Sums of squared deviations: pl-1 6.75, pl-2a 4.75, pl-2b 2.75, pl-3 5.00;
    # totals 12, 6, 16, 11 (mean 11.25): 0.5625 + 27.5625 + 22.5625 + 0.0625 = 50.75.
    # The n - 1 divides out of the ratio.
    expected = 4 / 3 * (1 - (6.75 + 4.75 + 2.75 + 5.00) / 50.75)
    assert planning.n == 4
    assert not planning.suppressed
    assert planning.alpha == pytest.approx(expected)
    assert planning.alpha == pytest.approx(0.8276, abs=1e-4)
    assert not any("alpha" in flag for flag in planning.flags)


def test_planning_corrected_item_totals_by_hand(report: RubricHealth) -> None:
    items = {item.id: item for item in _behavior(report.behaviors, "planning").items}
    # pl-1 against pl-2a + pl-2b + pl-3 = 8, 4, 12, 10 (mean 8.5):
    # cross-products 1.25·-0.5 + -0.75·-4.5 + 1.25·3.5 + -1.75·1.5 = 4.5; Σdev² 6.75 and 35.
    assert items["pl-1"].item_total == pytest.approx(4.5 / math.sqrt(6.75 * 35))
    # pl-3 against the rest = 10, 5, 12, 8 (mean 8.75): cross-products 9.5; Σdev² 5 and 26.75.
    assert items["pl-3"].item_total == pytest.approx(9.5 / math.sqrt(5 * 26.75))
    assert items["pl-1"].item_total < 0.3  # 0.293: flagged
    assert items["pl-1"].flags == ("item-total below 0.3",)
    assert items["pl-3"].flags == ()
    assert items["pl-1"].mean == pytest.approx(11 / 4)
    assert items["pl-1"].variance == pytest.approx(6.75 / 3)
    assert [item.level for item in items.values()] == [
        "novice",
        "practitioner",
        "practitioner",
        "expert",
    ]


def test_planning_level_order_floor_and_ceiling(report: RubricHealth) -> None:
    planning = _behavior(report.behaviors, "planning")
    # Levels (mean >= 3, walked upwards): A 2, B 0, C 3 (top), D 0 -- and D
    # demonstrates practitioner (3.5) and expert (3) above the failed novice: a break.
    assert planning.guttman_breaks == pytest.approx(1 / 4)
    assert planning.floor == pytest.approx(2 / 4)
    assert planning.ceiling == pytest.approx(1 / 4)
    assert "floor above 15%" in planning.flags
    assert "ceiling above 15%" in planning.flags


def test_review_low_alpha_and_an_item_without_variance(report: RubricHealth) -> None:
    review = _behavior(report.behaviors, "review")
    # rv-1 is 3 for everyone: Σdev² 0. rv-3a 11, rv-3b 6.75; totals 11, 4, 10, 6
    # (mean 7.75): 10.5625 + 14.0625 + 5.0625 + 3.0625 = 32.75.
    expected = 3 / 2 * (1 - (0 + 11 + 6.75) / 32.75)
    assert review.alpha == pytest.approx(expected)
    assert review.alpha < 0.7
    assert "alpha below 0.7" in review.flags
    assert review.no_variance_items == ["rv-1"]
    rv1 = review.items[0]
    assert rv1.id == "rv-1"
    assert rv1.no_variance and rv1.variance == 0 and rv1.item_total is None
    assert rv1.flags == ("no variance",)
    # Levels: A 3, B 1, C 3, D 1; no one at 0, half at the top; no break.
    assert (review.floor, review.ceiling, review.guttman_breaks) == (0, 0.5, 0)


def test_identical_items_are_flagged_redundant() -> None:
    answers = [dict.fromkeys(["pl-1", "pl-2a", "pl-2b", "pl-3"], v) for v in (1, 2, 3, 4)]
    planning = _behavior(rubric_health(MINI, answers, min_n=4).behaviors, "planning")
    # k = 4 equal columns of variance s: alpha = 4/3 · (1 - 4s / 16s) = 1.
    assert planning.alpha == pytest.approx(1.0)
    assert "alpha above 0.95 (redundant items?)" in planning.flags


def test_suppressed_below_the_minimum_n() -> None:
    report = rubric_health(MINI, ANSWERS, min_n=5)
    for behavior in report.behaviors:
        assert behavior.suppressed and behavior.n == 4
        assert behavior.alpha is None and behavior.floor is None and behavior.items == ()
        assert behavior.flags == ()
    assert report.flag_count == 0
    assert rubric_health(MINI, ANSWERS).min_n == 30  # the documented default


def test_only_complete_respondents_count() -> None:
    partial = {**ANSWERS[0], "pl-3": None}
    del partial["rv-1"]
    report = rubric_health(MINI, [*ANSWERS, partial, {}], min_n=4)
    assert report.respondents == 6
    assert [b.n for b in report.behaviors] == [4, 4]
    assert _behavior(report.behaviors, "planning").alpha == pytest.approx(
        4 / 3 * (1 - 19.25 / 50.75)
    )


def test_thresholds_can_be_changed() -> None:
    strict = rubric_health(MINI, ANSWERS, min_n=4, thresholds=Thresholds(alpha_low=0.9))
    assert "alpha below 0.9" in _behavior(strict.behaviors, "planning").flags


def test_undefined_figures_are_none() -> None:
    assert cronbach_alpha([[1, 2, 3]]) is None  # one item
    assert cronbach_alpha([[2, 2], [3, 3]]) is None  # the totals do not vary
    assert corrected_item_total([[1, 2, 3], [2, 2, 2]], 0) is None  # the rest is constant


def test_as_dict_is_plain_data(report: RubricHealth) -> None:
    data = report.as_dict()
    assert data["rubric_id"] == "mini" and data["min_n"] == 4
    assert data["thresholds"]["alpha_low"] == 0.7
    review = data["behaviors"][1]
    assert review["no_variance_items"] == ["rv-1"]
    assert list(review["items"][0]["flags"]) == ["no variance"]
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(data))  # serialisable
