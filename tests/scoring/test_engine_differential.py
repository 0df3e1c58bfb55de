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

from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import NA, Rubric
from app.scoring import score_behavior, score_competency, score_document, score_responses
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


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_new_engine_equals_the_reference_on_random_sets(path: Path) -> None:
    rubric = load_rubric_file(path).rubric
    for responses in _random_sets(rubric, 300, 20_261_201):
        document = score_document(rubric, responses)
        expected = reference_engine.score_document(rubric, responses)
        assert json.dumps(document) == json.dumps(expected)
        typed = score_responses(rubric, responses)
        assert typed == reference_engine.score_responses(rubric, responses)
        assert typed.model_dump(mode="json") == json.loads(json.dumps(document))


def test_parts_equal_the_reference() -> None:
    rubric = load_rubric_file(RUBRICS[0]).rubric
    for responses in _random_sets(rubric, 20, 7):
        for competency in rubric.competencies:
            assert score_competency(rubric, competency, responses) == (
                reference_engine.score_competency(rubric, competency, responses)
            )
            for behavior in competency.behaviors:
                assert score_behavior(rubric, behavior, responses) == (
                    reference_engine.score_behavior(rubric, behavior, responses)
                )
