"""Hand-computed cases for method "stepwise-threshold/1".

Each test writes its arithmetic in comments so a reader can check the expected
numbers without running anything. ``mini.yaml`` is the sparse fixture (scale
0..4, no n/a, threshold 3, overall minimum; ``review`` skips practitioner);
other cases build small rubrics inline with :func:`make_rubric`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import ValidationError

from app.rubrics.loader import load_rubric_file, parse_rubric
from app.rubrics.schemas import NA, NOT_YET, Rubric
from app.scoring import (
    METHOD,
    ResponseValue,
    ScoringResult,
    overall_level,
    progress,
    reported_score,
    score_responses,
)
from app.scoring.engine import PROGRESS_CAP

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"

Answers = dict[str, ResponseValue]


@pytest.fixture(scope="module")
def mini() -> Rubric:
    return load_rubric_file(MINI).rubric


def make_rubric(
    behaviors: dict[str, dict[int, int]],
    *,
    scale: tuple[int, int] = (1, 5),
    allow_na: bool = True,
    threshold: float = 3.5,
    overall: Literal["median", "minimum"] = "median",
    orders: tuple[int, ...] = (1, 2, 3, 4, 5),
) -> Rubric:
    """A one-competency rubric: ``{behavior: {level order: item count}}``.

    Level ``lN`` has order N and name "Level N"; item ids are
    ``{behavior}-{N}-{i}`` with i from 1.
    """
    data: dict[str, Any] = {
        "id": "inline",
        "title": "Inline",
        "version": "1",
        "description": "Built by a test.",
        "scale": {"min": scale[0], "max": scale[1], "allow_na": allow_na},
        "scoring": {"threshold": threshold, "overall": overall},
        "levels": [
            {"id": f"l{o}", "name": f"Level {o}", "order": o, "summary": "s"} for o in orders
        ],
        "competencies": [
            {
                "id": "comp",
                "name": "Comp",
                "purpose": "p",
                "description": "d",
                "behaviors": [
                    {
                        "id": behavior,
                        "name": behavior.title(),
                        "description": "d",
                        "levels": {
                            f"l{order}": {
                                "descriptor": f"{behavior} at {order}",
                                "items": [
                                    {"id": f"{behavior}-{order}-{i}", "text": "t"}
                                    for i in range(1, count + 1)
                                ],
                                "actions": [f"grow {behavior} to {order}"],
                            }
                            for order, count in spec.items()
                        },
                    }
                    for behavior, spec in behaviors.items()
                ],
            }
        ],
    }
    return parse_rubric(data)


def answers(behavior: str, per_level: Mapping[int, Sequence[ResponseValue]]) -> Answers:
    """``{order: [values]}`` -> ``{item id: value}`` for :func:`make_rubric` ids."""
    return {
        f"{behavior}-{order}-{i}": value
        for order, values in per_level.items()
        for i, value in enumerate(values, start=1)
    }


def reach(rubric: Rubric, behavior: str, level: int) -> Answers:
    """Answers that put ``behavior`` exactly at ``level``: max up to it, min above."""
    ref = next(b for c in rubric.competencies for b in c.behaviors if b.id == behavior)
    out: Answers = {}
    for lvl in rubric.behavior_levels(ref):
        value = rubric.scale.max if lvl.order <= level else rubric.scale.min
        for item in ref.levels[lvl.id].items:
            out[item.id] = value
    return out


FIVE = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}


# --- mini.yaml: scale 0..4, threshold 3 ------------------------------------------------------


def test_mini_dense_behavior_and_sparse_behavior(mini: Rubric) -> None:
    result = score_responses(
        mini, {"pl-1": 4, "pl-2a": 3, "pl-2b": 2, "pl-3": 1, "rv-1": 3, "rv-3a": 2, "rv-3b": 1}
    )
    planning = result.behavior("planning")
    # novice: mean 4 >= 3 demonstrated; practitioner: (3+2)/2 = 2.5 < 3 -> level 1.
    # next = practitioner; p = (2.5 - 0) / (3 - 0) = 0.8333; score = 1 + 0.8333 * (2 - 1) = 1.83
    assert (planning.level, planning.level_name, planning.score) == (1, "Novice", 1.83)
    assert planning.next is not None and planning.next.level == "practitioner"
    assert planning.next.actions == ("Hold a weekly review.",)
    assert planning.current is not None and planning.current.descriptor == "Plans a day."
    assert planning.consistent  # expert mean 1 < 3
    assert [e.mean for e in planning.levels] == [4.0, 2.5, 1.0]

    review = result.behavior("review")
    # review defines novice and expert only. novice: 3 >= 3 (threshold is inclusive).
    # expert: (2+1)/2 = 1.5 -> p = 1.5/3 = 0.5; next is expert (order 3), skipping order 2:
    # score = 1 + 0.5 * (3 - 1) = 2.0
    assert (review.level, review.score) == (1, 2.0)
    assert review.next is not None and review.next.level == "expert"
    assert [e.level for e in review.levels] == ["novice", "expert"]

    # overall: minimum of [1, 1] = 1
    craft = result.competency("craft")
    assert (craft.level, craft.level_name) == (1, "Novice")
    assert result.method == METHOD == "stepwise-threshold/1"
    assert (result.rubric.id, result.rubric.version) == ("mini", "2")
    assert (result.answered, result.total) == (7, 7)


def test_sparse_skipped_level_neither_counts_nor_blocks(mini: Rubric) -> None:
    # review: novice 4, expert (4+3)/2 = 3.5 >= 3 -> straight to expert (3), the top: score 3.
    result = score_responses(mini, {"rv-1": 4, "rv-3a": 4, "rv-3b": 3})
    review = result.behavior("review")
    assert (review.level, review.level_name, review.score) == (3, "Expert", 3.0)
    assert review.next is None and review.consistent
    assert review.current is not None and review.current.level == "expert"
    # expert: (2+2)/2 = 2 -> p = 2/3; score = 1 + 0.6667 * 2 = 2.33
    assert score_responses(mini, {"rv-1": 4, "rv-3a": 2, "rv-3b": 2}).behavior("review").score == (
        2.33
    )


def test_inconsistent_pattern_level_zero(mini: Rubric) -> None:
    # planning: novice 2 < 3 (not demonstrated) but practitioner (4+4)/2 = 4 is: Guttman break.
    result = score_responses(mini, {"pl-1": 2, "pl-2a": 4, "pl-2b": 4, "pl-3": 3})
    planning = result.behavior("planning")
    # level 0; next novice (order 1); p = (2 - 0)/(3 - 0) = 0.6667; score = 0 + 0.6667 * 1 = 0.67
    assert (planning.level, planning.level_name, planning.score) == (0, NOT_YET, 0.67)
    assert planning.current is None
    assert planning.next is not None and planning.next.level == "novice"
    assert planning.consistent is False
    assert [e.demonstrated for e in planning.levels] == [False, True, True]
    # review unanswered: level 0, novice has no answers -> p = 0 -> score 0; minimum overall 0.
    review = result.behavior("review")
    assert (review.level, review.score, review.answered, review.total) == (0, 0.0, 0, 3)
    assert result.competency("craft").level == 0
    assert result.competency("craft").level_name == NOT_YET


def test_scale_starting_at_zero_all_min_and_all_max(mini: Rubric) -> None:
    ids = list(mini.items_by_id)
    # all 0: every mean 0 < 3 -> level 0, p = (0-0)/3 = 0 -> score 0.
    low = score_responses(mini, dict.fromkeys(ids, 0))
    assert all(b.level == 0 and b.score == 0.0 for c in low.competencies for b in c.behaviors)
    # all 4: every level demonstrated -> both behaviors at expert (3), score exactly 3.
    high = score_responses(mini, dict.fromkeys(ids, 4))
    assert [(b.level, b.score, b.next) for b in high.competencies[0].behaviors] == [
        (3, 3.0, None),
        (3, 3.0, None),
    ]


def test_unknown_ids_are_ignored(mini: Rubric) -> None:
    base = {"pl-1": 4, "rv-1": 1}
    assert score_responses(mini, {**base, "nope": 4}) == score_responses(mini, base)


# --- inline rubrics ---------------------------------------------------------------------------


def test_dense_levels_scale_one_to_five() -> None:
    rubric = make_rubric({"b": FIVE})
    # means: l1 (5+4)/2 = 4.5, l2 (4+3)/2 = 3.5 (= threshold), l3 (3+3)/2 = 3, l4 2, l5 1
    result = score_responses(rubric, answers("b", {1: [5, 4], 2: [4, 3], 3: [3, 3], 4: [2, 2]}))
    b = result.behavior("b")
    # level 2; next l3; p = (3 - 1)/(3.5 - 1) = 0.8; score = 2 + 0.8 * 1 = 2.8
    assert (b.level, b.level_name, b.score, b.consistent) == (2, "Level 2", 2.8, True)
    # l5 unanswered: mean null, 0 of 2 answered
    assert b.levels[4].model_dump() == {
        "level": "l5",
        "order": 5,
        "mean": None,
        "answered": 0,
        "total": 2,
        "demonstrated": False,
    }
    assert (b.answered, b.total) == (8, 10)


def test_na_is_excluded_from_means_but_counts_as_answered() -> None:
    rubric = make_rubric({"b": {1: 2, 2: 2}})
    # l1: [4, n/a] -> mean 4 (had n/a counted as 1 it would be 2.5 and fail); l2: [n/a, 3] -> 3
    b = score_responses(rubric, answers("b", {1: [4, NA], 2: [NA, 3]})).behavior("b")
    # level 1; p = (3 - 1)/(3.5 - 1) = 0.8; score = 1 + 0.8 = 1.8
    assert (b.level, b.score, b.answered, b.total) == (1, 1.8, 4, 4)
    assert [(e.mean, e.answered) for e in b.levels] == [(4.0, 2), (3.0, 2)]


def test_all_na_level_is_not_demonstrated() -> None:
    rubric = make_rubric({"b": {1: 2, 2: 1}})
    # l1: [n/a, n/a] -> no mean -> not demonstrated (and progress 0); l2: 5 demonstrated above it.
    b = score_responses(rubric, answers("b", {1: [NA, NA], 2: [5]})).behavior("b")
    assert (b.level, b.score, b.consistent, b.current) == (0, 0.0, False, None)
    assert b.levels[0].mean is None and b.levels[0].answered == 2
    assert not b.levels[0].demonstrated


def test_lowest_defined_level_above_one() -> None:
    # b defines only l3 and l5. l3: 2 -> p = (2 - 1)/(3.5 - 1) = 0.4; score = 0 + 0.4 * 3 = 1.2
    rubric = make_rubric({"b": {3: 1, 5: 1}})
    b = score_responses(rubric, answers("b", {3: [2], 5: [1]})).behavior("b")
    assert (b.level, b.score) == (0, 1.2)
    assert b.next is not None and b.next.level == "l3"


def test_top_level_has_no_next_and_score_equals_order() -> None:
    rubric = make_rubric({"b": {1: 1, 2: 1, 4: 1}})
    b = score_responses(rubric, answers("b", {1: [4], 2: [4], 4: [5]})).behavior("b")
    assert (b.level, b.level_name, b.score, b.next) == (4, "Level 4", 4.0, None)
    assert b.current is not None and b.current.descriptor == "b at 4"


def test_mean_equal_to_an_authored_threshold_is_demonstrated() -> None:
    # threshold 3.7; ten answers summing to 37: 37/10 == 3.7 as floats -> demonstrated
    rubric = make_rubric({"b": {1: 10}}, threshold=3.7)
    b = score_responses(rubric, answers("b", {1: [4] * 7 + [3] * 3})).behavior("b")
    assert b.level == 1


def test_rounding_never_reaches_next_order() -> None:
    # scale 0..4, threshold 3.001. l2 mean 3 < 3.001 -> not demonstrated.
    # p = 3 / 3.001 = 0.99967; raw score = 1 + 0.99967 = 1.99967 -> round -> 2.00 -> cap 1.99
    rubric = make_rubric({"b": {1: 1, 2: 1}}, scale=(0, 4), allow_na=False, threshold=3.001)
    b = score_responses(rubric, answers("b", {1: [4], 2: [3]})).behavior("b")
    assert (b.level, b.score) == (1, 1.99)
    # sparse gap of 4: raw = 1 + 0.99967 * 4 = 4.9987 -> round 5.00 -> cap 4.99
    rubric = make_rubric({"b": {1: 1, 5: 1}}, scale=(0, 4), allow_na=False, threshold=3.001)
    b = score_responses(rubric, answers("b", {1: [4], 5: [3]})).behavior("b")
    assert (b.level, b.score) == (1, 4.99)


def test_progress_and_reported_score_helpers() -> None:
    assert progress(None, 1, 3.5) == 0.0
    assert progress(0.0, 1, 3.5) == 0.0  # below the scale min clamps to 0
    assert progress(5.0, 1, 3.5) == PROGRESS_CAP < 1.0  # defensive: never 1
    assert progress(2.25, 1, 3.5) == 0.5  # (2.25 - 1) / 2.5
    assert reported_score(3, 0.0, None) == 3.0
    assert reported_score(2, PROGRESS_CAP, 3) == 2.99  # 2.999999999 -> 3.00 -> capped
    assert reported_score(0, 2 / 3, 1) == 0.67


@pytest.mark.parametrize(
    ("levels", "median", "minimum"),
    [
        ([3, 1, 2], 2, 1),  # odd: sorted [1, 2, 3], index (3-1)//2 = 1 -> 2
        ([3, 1, 2, 0], 1, 0),  # even: sorted [0, 1, 2, 3], index (4-1)//2 = 1 -> 1 (lower median)
        ([4], 4, 4),
        ([2, 2, 5, 5], 2, 2),  # sorted [2, 2, 5, 5] -> index 1 -> 2, never the average 3.5
    ],
)
def test_overall_median_and_minimum(levels: list[int], median: int, minimum: int) -> None:
    assert overall_level(levels, "median") == median
    assert overall_level(levels, "minimum") == minimum
    rules: list[tuple[Literal["median", "minimum"], int]] = [
        ("median", median),
        ("minimum", minimum),
    ]
    for rule, expected in rules:
        names = [f"b{i}" for i in range(len(levels))]
        rubric = make_rubric({n: {1: 1, 2: 1, 3: 1, 4: 1, 5: 1} for n in names}, overall=rule)
        responses: Answers = {}
        for name, level in zip(names, levels, strict=True):
            responses |= reach(rubric, name, level)
        result = score_responses(rubric, responses)
        assert [b.level for b in result.competencies[0].behaviors] == levels
        assert result.competencies[0].level == expected


def test_docs_worked_example() -> None:
    """The numbers in docs/scoring.md, "Worked example"."""
    levels = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}
    rubric = make_rubric({"refine": levels, "b2": levels, "b3": levels, "b4": levels})
    # means: 4.5, 4.0, 3.5, 3.0 (the n/a is left out), 2.5
    refine = answers("refine", {1: [5, 4], 2: [4, 4], 3: [4, 3], 4: [3, NA], 5: [2, 3]})
    others = reach(rubric, "b2", 2) | reach(rubric, "b3", 4) | reach(rubric, "b4", 1)
    result = score_responses(rubric, refine | others)
    b = result.behavior("refine")
    assert [e.mean for e in b.levels] == [4.5, 4.0, 3.5, 3.0, 2.5]
    # level 3; next l4; p = (3.0 - 1)/(3.5 - 1) = 0.8; score = 3 + 0.8 * (4 - 3) = 3.8
    assert (b.level, b.score, b.consistent, b.answered, b.total) == (3, 3.8, True, 10, 10)
    # levels [3, 2, 4, 1] -> sorted [1, 2, 3, 4] -> lower median index 1 -> 2
    assert result.competencies[0].level == 2
    # the variant: l5 answered 4, 4 -> demonstrated above the gap at l4: inconsistent
    variant = score_responses(rubric, refine | answers("refine", {5: [4, 4]}) | others)
    v = variant.behavior("refine")
    assert (v.level, v.score, v.consistent) == (3, 3.8, False)
    minimum = make_rubric(
        {"refine": levels, "b2": levels, "b3": levels, "b4": levels}, overall="minimum"
    )
    assert score_responses(minimum, refine | others).competencies[0].level == 1


# --- the result contract ------------------------------------------------------------------------


def test_json_shape_is_the_contract(mini: Rubric) -> None:
    data = score_responses(mini, {"pl-1": 4, "rv-1": 4, "rv-3a": 4}).model_dump(mode="json")
    assert list(data) == ["rubric", "method", "answered", "total", "competencies"]
    assert data["rubric"] == {"id": "mini", "version": "2"}
    competency = data["competencies"][0]
    assert set(competency) == {"id", "name", "level", "level_name", "behaviors"}
    behavior = competency["behaviors"][0]
    assert set(behavior) == {
        "id",
        "name",
        "level",
        "level_name",
        "score",
        "consistent",
        "answered",
        "total",
        "current",
        "next",
        "levels",
    }
    assert set(behavior["current"]) == {"level", "descriptor"}
    assert set(behavior["next"]) == {"level", "descriptor", "actions"}
    assert isinstance(behavior["next"]["actions"], list)
    assert set(behavior["levels"][0]) == {
        "level",
        "order",
        "mean",
        "answered",
        "total",
        "demonstrated",
    }
    # review: novice 4, expert (4 + missing) -> mean 4 -> top; next is null
    assert data["competencies"][0]["behaviors"][1]["next"] is None


def test_result_round_trips_and_is_frozen(mini: Rubric) -> None:
    result = score_responses(mini, {"pl-1": 4, "pl-2a": 1})
    assert ScoringResult.model_validate_json(result.model_dump_json()) == result
    with pytest.raises(ValidationError):
        result.method = "other"  # type: ignore[misc]
    with pytest.raises(KeyError):
        result.behavior("nope")
    with pytest.raises(KeyError):
        result.competency("nope")
    # a stored result with a future method string still loads
    future = result.model_dump() | {"method": "stepwise-threshold/2"}
    assert ScoringResult.model_validate(future).method == "stepwise-threshold/2"
