"""The faster engine against the engine it replaced, on many random response sets.

Same rubric, same answers: the plain document and the typed result must be
equal, key order included (the API's JSON is the document as it comes). The
answers are the benchmark's generator (tendency, noise, n/a, gaps) plus sets
with odd values trusted data may hold (``True``, an ``int`` subclass, a float),
where both engines must still agree.
"""

from __future__ import annotations

import enum
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import NA, Rubric
from app.scoring import score_behavior, score_competency, score_document, score_responses
from app.scoring.result import ScoringResult, trusted_constructor
from tests.scoring import reference_engine

ROOT = Path(__file__).resolve().parents[2]
RUBRICS = [ROOT / "rubrics" / "product-owner.yaml", ROOT / "tests/fixtures/rubrics/mini.yaml"]


class _Level(enum.IntEnum):
    three = 3


def _random_sets(rubric: Rubric, n: int, seed: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_scoring import generate
    finally:
        sys.path.pop(0)
    sets: list[dict[str, Any]] = list(generate(rubric, n, seed))
    rng = random.Random(seed)
    ids = list(rubric.items_by_id)
    odd: list[Any] = [True, False, _Level.three, 2.0, None, NA, "x"]
    for responses in sets[: n // 5]:
        for item_id in rng.sample(ids, k=min(5, len(ids))):
            responses[item_id] = rng.choice(odd)
    return sets


def _types(value: Any) -> Any:
    """The value's shape as classes, recursively (``1 == 1.0`` and ``True == 1`` hide them)."""
    if isinstance(value, BaseModel):
        fields = (value.model_fields_set, value.__pydantic_extra__, value.__pydantic_private__)
        return (type(value), fields, [(k, _types(v)) for k, v in value.__dict__.items()])
    if isinstance(value, tuple | list):
        return (type(value), [_types(v) for v in value])
    return type(value)


def test_trusted_constructor_falls_back_to_validation_for_models_it_cannot_model() -> None:
    class Aliased(BaseModel):
        value: int = Field(alias="v")

    assert trusted_constructor(Aliased) == Aliased.model_validate
    assert trusted_constructor(ScoringResult) != ScoringResult.model_validate


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_new_engine_equals_the_reference_on_random_sets(path: Path) -> None:
    rubric = load_rubric_file(path).rubric
    for responses in _random_sets(rubric, 300, 20_261_201):
        document = score_document(rubric, responses)
        expected = reference_engine.score_document(rubric, responses)
        assert json.dumps(document) == json.dumps(expected)
        typed = score_responses(rubric, responses)
        reference = reference_engine.score_responses(rubric, responses)
        assert typed == reference
        # built without validation (result.trusted_constructor): same dump, key
        # order and fields set included, and the same value types all the way down
        assert typed.model_dump_json() == reference.model_dump_json()
        assert typed.model_dump(exclude_unset=True) == reference.model_dump(exclude_unset=True)
        assert _types(typed) == _types(reference)
        assert typed.model_dump(mode="json") == json.loads(json.dumps(document))


def test_parts_equal_the_reference() -> None:
    rubric = load_rubric_file(RUBRICS[0]).rubric
    for responses in _random_sets(rubric, 20, 7):
        for competency in rubric.competencies:
            assert score_competency(rubric, competency, responses) == (
                reference_engine.score_competency(rubric, competency, responses)
            )
            for behavior in competency.behaviors:
                alone = score_behavior(rubric, behavior, responses)
                reference = reference_engine.score_behavior(rubric, behavior, responses)
                assert alone == reference
                assert alone.model_dump_json() == reference.model_dump_json()
