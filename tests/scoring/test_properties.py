"""Property-based tests: invariants of the method over random rubrics and answers.

Rubrics are generated with a random scale (min -3..3, width 1..6), a random
threshold inside it (integers and arbitrary floats), 1-5 framework levels with
random, possibly non-contiguous orders, and behaviors that each define a random
non-empty subset of those levels with 1-3 items per level. Answers leave items
out at random and use n/a where the scale allows it.
"""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.rubrics.loader import parse_rubric
from app.rubrics.schemas import NA, Rubric
from app.scoring import (
    METHOD,
    ResponseValue,
    ScoringResult,
    score_document,
    score_responses,
    validate_responses,
)
from app.scoring.responses import is_score

Answers = dict[str, ResponseValue]

SETTINGS = settings(max_examples=200, deadline=None)


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    lo = draw(st.integers(-3, 3))
    hi = draw(st.integers(lo + 1, lo + 6))
    threshold = draw(
        st.one_of(
            st.integers(lo + 1, hi).map(float),
            st.floats(min_value=lo, max_value=hi, exclude_min=True, allow_nan=False),
        )
    )
    orders = draw(st.lists(st.integers(1, 8), min_size=1, max_size=5, unique=True))
    competencies: list[dict[str, Any]] = []
    for c in range(draw(st.integers(1, 3))):
        behaviors: list[dict[str, Any]] = []
        for b in range(draw(st.integers(1, 4))):
            subset = draw(st.lists(st.sampled_from(orders), min_size=1, unique=True))
            levels = {
                f"lv{o}": {
                    "descriptor": f"at {o}",
                    "items": [
                        {"id": f"c{c}-b{b}-lv{o}-{i}", "text": "t"}
                        for i in range(draw(st.integers(1, 3)))
                    ],
                    "actions": [f"act {o}"],
                }
                for o in subset
            }
            behaviors.append(
                {"id": f"c{c}-b{b}", "name": "B", "description": "d", "levels": levels}
            )
        competencies.append(
            {"id": f"c{c}", "name": "C", "purpose": "p", "description": "d", "behaviors": behaviors}
        )
    return parse_rubric(
        {
            "id": "random",
            "title": "Random",
            "version": "1",
            "description": "Generated.",
            "scale": {"min": lo, "max": hi, "allow_na": draw(st.booleans())},
            "scoring": {
                "threshold": threshold,
                "overall": draw(st.sampled_from(["median", "minimum"])),
            },
            "levels": [
                {"id": f"lv{o}", "name": f"Level {o}", "order": o, "summary": "s"} for o in orders
            ],
            "competencies": competencies,
        }
    )


def responses_for(rubric: Rubric) -> st.SearchStrategy[Answers]:
    """Any subset of the items, each an integer on the scale or (where allowed) n/a."""
    values: st.SearchStrategy[ResponseValue] = st.integers(rubric.scale.min, rubric.scale.max)
    if rubric.scale.allow_na:
        values = st.one_of(values, st.just(NA))
    return st.fixed_dictionaries({}, optional=dict.fromkeys(rubric.items_by_id, values))


@st.composite
def scored(draw: st.DrawFn) -> tuple[Rubric, Answers]:
    rubric = draw(rubrics())
    return rubric, draw(responses_for(rubric))


def levels(result: ScoringResult) -> dict[str, int]:
    return {b.id: b.level for c in result.competencies for b in c.behaviors}


def oracle(rubric: Rubric, responses: Answers) -> dict[str, tuple[int, bool]]:
    """The definition restated: (level, consistent) per behavior, by brute force.

    level = the highest defined order L such that every defined level up to L is
    demonstrated (0 if none); consistent = no demonstrated level lies above it
    except through an unbroken run (equivalently: every demonstrated order <= level).
    """
    out: dict[str, tuple[int, bool]] = {}
    for competency in rubric.competencies:
        for behavior in competency.behaviors:
            demonstrated: dict[int, bool] = {}
            for level in rubric.behavior_levels(behavior):
                nums = [
                    responses[i.id]
                    for i in behavior.levels[level.id].items
                    if is_score(responses.get(i.id))
                ]
                demonstrated[level.order] = bool(nums) and (
                    sum(nums) / len(nums) >= rubric.scoring.threshold  # type: ignore[arg-type]
                )
            reached = [
                o for o in demonstrated if all(demonstrated[p] for p in demonstrated if p <= o)
            ]
            level_ = max(reached, default=0)
            consistent = all(o <= level_ for o, d in demonstrated.items() if d)
            out[behavior.id] = (level_, consistent)
    return out


@SETTINGS
@given(scored())
def test_result_invariants(case: tuple[Rubric, Answers]) -> None:
    rubric, responses = case
    assert validate_responses(rubric, responses) == []
    result = score_responses(rubric, responses)
    assert result.method == METHOD
    assert result.total == rubric.item_count
    assert result.answered == len(responses)
    expected = oracle(rubric, responses)
    for competency, comp_result in zip(rubric.competencies, result.competencies, strict=True):
        behavior_levels = [b.level for b in comp_result.behaviors]
        assert comp_result.level in behavior_levels
        if rubric.scoring.overall == "minimum":
            assert comp_result.level == min(behavior_levels)
        for behavior, b in zip(competency.behaviors, comp_result.behaviors, strict=True):
            defined = [lvl.order for lvl in rubric.behavior_levels(behavior)]
            top = max(defined)
            assert (b.level, b.consistent) == expected[b.id]
            assert b.level == 0 or b.level in defined
            assert 0 <= b.level <= top
            assert 0 <= b.score <= top
            assert (b.current is None) == (b.level == 0)
            assert b.level_name == rubric.level_name(b.level)
            assert 0 <= b.answered <= b.total
            if b.next is None:
                assert b.level == top
                assert b.score == b.level
                assert b.consistent
            else:
                next_order = rubric.levels_by_id[b.next.level].order
                assert next_order == min(o for o in defined if o > b.level)
                assert b.level <= b.score < next_order


@SETTINGS
@given(st.data())
def test_raising_one_answer_never_lowers_a_level(data: st.DataObject) -> None:
    rubric, responses = data.draw(scored())
    raisable = sorted(
        item for item, value in responses.items() if is_score(value) and value < rubric.scale.max
    )
    assume(raisable)
    item = data.draw(st.sampled_from(raisable))
    old_value = responses[item]
    assert isinstance(old_value, int)
    raised = responses | {item: data.draw(st.integers(old_value + 1, rubric.scale.max))}
    before, after = score_responses(rubric, responses), score_responses(rubric, raised)
    for old_c, new_c in zip(before.competencies, after.competencies, strict=True):
        assert new_c.level >= old_c.level
        for old_b, new_b in zip(old_c.behaviors, new_c.behaviors, strict=True):
            assert new_b.level >= old_b.level
            assert new_b.score >= old_b.score  # the reported score is monotone too


@SETTINGS
@given(rubrics())
def test_all_max_reaches_every_top_level(rubric: Rubric) -> None:
    result = score_responses(rubric, dict.fromkeys(rubric.items_by_id, rubric.scale.max))
    for competency, comp_result in zip(rubric.competencies, result.competencies, strict=True):
        for behavior, b in zip(competency.behaviors, comp_result.behaviors, strict=True):
            top = rubric.behavior_levels(behavior)[-1].order
            assert (b.level, b.score, b.next, b.consistent) == (top, float(top), None, True)


@SETTINGS
@given(rubrics())
def test_all_min_is_not_yet(rubric: Rubric) -> None:
    assert rubric.scoring.threshold > rubric.scale.min  # guaranteed by rubric checks
    result = score_responses(rubric, dict.fromkeys(rubric.items_by_id, rubric.scale.min))
    for comp_result in result.competencies:
        assert comp_result.level == 0
        for b in comp_result.behaviors:
            assert (b.level, b.score, b.current, b.consistent) == (0, 0.0, None, True)


@SETTINGS
@given(st.data())
def test_response_order_does_not_matter(data: st.DataObject) -> None:
    rubric, responses = data.draw(scored())
    shuffled = dict(data.draw(st.permutations(list(responses.items()))))
    assert score_responses(rubric, shuffled) == score_responses(rubric, responses)
    assert (
        score_responses(rubric, shuffled).model_dump_json()
        == score_responses(rubric, responses).model_dump_json()
    )


@SETTINGS
@given(scored())
def test_json_round_trip(case: tuple[Rubric, Answers]) -> None:
    result = score_responses(*case)
    assert ScoringResult.model_validate_json(result.model_dump_json()) == result


@SETTINGS
@given(scored())
def test_plain_document_serialises_exactly_like_the_typed_result(
    case: tuple[Rubric, Answers],
) -> None:
    """The stateless API sends ``score_document`` as is: same bytes as the typed model."""
    document = score_document(*case)
    assert orjson.dumps(document).decode() == score_responses(*case).model_dump_json()
    assert ScoringResult.model_validate(document) == score_responses(*case)
