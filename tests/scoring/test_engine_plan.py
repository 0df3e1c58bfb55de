"""The engine's per-rubric memo: same numbers however a rubric is reached, and no leak."""

from __future__ import annotations

import gc
from pathlib import Path

from app.rubrics.loader import load_rubric_file
from app.scoring import plan, score_behavior, score_competency, score_responses

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"
ANSWERS = {"pl-1": 4, "pl-2a": 3, "pl-2b": 4, "pl-3": 1, "rv-1": 4, "rv-3a": 4, "rv-3b": 3}


def test_parts_scored_alone_match_the_whole_even_from_another_copy() -> None:
    rubric = load_rubric_file(MINI).rubric
    twin = load_rubric_file(MINI).rubric  # equal content, different objects
    whole = score_responses(rubric, ANSWERS)
    competency = twin.competencies[0]
    assert score_competency(rubric, competency, ANSWERS) == whole.competencies[0]
    for behavior in competency.behaviors:
        assert score_behavior(rubric, behavior, ANSWERS) == whole.behavior(behavior.id)
    assert score_responses(twin, ANSWERS) == whole


def test_the_memo_is_dropped_with_the_rubric() -> None:
    rubric = load_rubric_file(MINI).rubric
    score_responses(rubric, ANSWERS)
    key = id(rubric)
    assert key in plan._plans
    del rubric
    gc.collect()
    assert key not in plan._plans


def test_the_lookup_tables_hold_only_clean_values_and_stay_bounded() -> None:
    """Odd or off-scale values are scored (computed), never interned: the tables stay small."""
    rubric = load_rubric_file(MINI).rubric
    odd: list[object] = [True, 2.0, 7, -1, "x", "N/A", 3]
    for value in odd:
        score_responses(rubric, dict.fromkeys(ANSWERS, value))
    rubric_plan = plan.plan_of(rubric)
    lo, hi = rubric.scale.min, rubric.scale.max
    for _, behaviors in rubric_plan.competencies:
        for behavior in behaviors:
            assert len(behavior.shapes) <= 2 ** len(behavior.levels)
            for step in behavior.levels:
                for key in step.outcomes:
                    values = key if isinstance(key, tuple) else (key,)
                    assert all(
                        v is None or v == "n/a" or (type(v) is int and lo <= v <= hi)
                        for v in values
                    ), key
