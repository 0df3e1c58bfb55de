"""Hand-made cases for the pure calibration rules (flags, paths, growth).

``mini.yaml`` is the sparse fixture: levels novice (1), practitioner (2),
expert (3); ``planning`` defines all three, ``review`` skips practitioner.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.coaching.calibration import (
    Flag,
    GrowthSnapshot,
    allowed_orders,
    behaviors_by_id,
    calibration_flag,
    development_path,
    growth_series,
    level_label,
    suggested_action,
)
from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import Behavior, Rubric

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(MINI).rubric


@pytest.fixture(scope="module")
def planning(rubric: Rubric) -> Behavior:
    return behaviors_by_id(rubric)["planning"]


@pytest.fixture(scope="module")
def review(rubric: Rubric) -> Behavior:
    return behaviors_by_id(rubric)["review"]


@pytest.mark.parametrize(
    ("self_level", "coach_level", "flag"),
    [
        (2, 1, Flag.blind_spot),  # one level above the coach
        (3, 0, Flag.blind_spot),  # far above: still a blind spot
        (1, 2, Flag.hidden_strength),
        (0, 3, Flag.hidden_strength),  # sparse: 0 -> expert skips a level, still one flag
        (2, 2, Flag.aligned),
        (0, 0, Flag.aligned),
        (2, None, None),  # not rated yet: no flag rather than a guess
    ],
)
def test_calibration_flag(self_level: int, coach_level: int | None, flag: Flag | None) -> None:
    assert calibration_flag(self_level, coach_level) == flag


def test_allowed_orders_are_not_yet_and_the_defined_levels(
    rubric: Rubric, planning: Behavior, review: Behavior
) -> None:
    assert allowed_orders(rubric, planning) == [0, 1, 2, 3]
    assert allowed_orders(rubric, review) == [0, 1, 3]  # no practitioner


def test_path_from_current_to_target_with_every_level(rubric: Rubric, planning: Behavior) -> None:
    path = development_path(rubric, planning, current=1, target=3)
    assert [(s.level_id, s.is_current) for s in path] == [
        ("novice", True),
        ("practitioner", False),
        ("expert", False),
    ]
    # The current level is context only: its actions are for growing *into* it.
    assert path[0].actions == ()
    assert path[0].descriptor == "Plans a day."
    assert path[1].actions == ("Hold a weekly review.",)
    assert path[2].actions == ("Draft a quarterly plan.",)
    assert path[2].name == "Expert"


def test_path_skips_levels_the_behavior_does_not_define(rubric: Rubric, review: Behavior) -> None:
    path = development_path(rubric, review, current=1, target=3)
    assert [s.level_id for s in path] == ["novice", "expert"]
    assert path[1].actions == ("Pair on a review.",)


def test_path_from_not_yet_has_no_current_step(rubric: Rubric, review: Behavior) -> None:
    path = development_path(rubric, review, current=0, target=1)
    assert [(s.level_id, s.is_current, s.actions) for s in path] == [
        ("novice", False, ("Request one review a week.",))
    ]


@pytest.mark.parametrize(("current", "target"), [(2, None), (2, 2), (3, 1)])
def test_no_gap_means_no_path(
    rubric: Rubric, planning: Behavior, current: int, target: int | None
) -> None:
    assert development_path(rubric, planning, current=current, target=target) == []


def test_suggested_action_by_level_and_index(planning: Behavior) -> None:
    assert suggested_action(planning, "expert", 0) == "Draft a quarterly plan."
    assert suggested_action(planning, "expert", 1) is None
    assert suggested_action(planning, "guru", 0) is None
    assert suggested_action(planning, "novice", -1) is None


def test_level_label(rubric: Rubric) -> None:
    assert level_label(rubric, 0) == "Not yet"
    assert level_label(rubric, 2) == "Practitioner"
    assert level_label(rubric, None) == "—"


def _at(day: int) -> datetime:
    return datetime(2026, 1, day, tzinfo=UTC)


def test_growth_series_orders_by_date_and_computes_changes() -> None:
    older = GrowthSnapshot(
        assessment_id=1,
        taken_at=_at(1),
        self_levels={"planning": 1, "review": 0, "retired": 2},
        coach_levels={"planning": 1},
        names={"planning": "Planning (old name)", "review": "Review", "retired": "Retired"},
    )
    middle = GrowthSnapshot(
        assessment_id=2,
        taken_at=_at(5),
        self_levels={"planning": 2, "review": 1},
        coach_levels={},  # not reviewed
        names={"planning": "Planning", "review": "Review"},
    )
    newer = GrowthSnapshot(
        assessment_id=3,
        taken_at=_at(9),
        self_levels={"planning": 3, "review": 1},
        coach_levels={"planning": 2, "review": None},
        names={"planning": "Planning", "review": "Review"},
    )
    # Given out of order: the series is oldest first anyway.
    series = growth_series([newer, older, middle])
    assert [g.behavior_id for g in series] == ["planning", "review", "retired"]
    planning = series[0]
    assert planning.name == "Planning"  # the newest name
    assert [(p.assessment_id, p.self_level, p.coach_level) for p in planning.points] == [
        (1, 1, 1),
        (2, 2, None),
        (3, 3, 2),
    ]
    assert planning.self_change == 2  # 3 - 1
    assert planning.coach_change == 1  # 2 - 1, skipping the unreviewed middle
    review = series[1]
    assert review.self_change == 1
    assert review.coach_change is None  # never rated twice
    retired = series[2]
    assert [p.self_level for p in retired.points] == [2, None, None]
    assert retired.self_change is None


def test_growth_series_of_nothing() -> None:
    assert growth_series([]) == []
