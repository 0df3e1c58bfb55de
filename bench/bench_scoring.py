"""In-process benchmark of the scoring engine: validate + score one questionnaire.

Usage::

    .venv/bin/python bench/bench_scoring.py [--n 10000] [--rounds 20] [--rubric ...]

Generates ``--n`` seeded random response sets for the rubric (each simulated
participant has their own tendency, answers are noisy around it, with a few
n/a and unanswered items), then times ``validate_responses`` followed by
``score_responses`` (the typed result every stored assessment gets) for each
one, and again with ``score_document`` (the plain data the stateless
``POST /api/v1/score`` serialises). As a baseline in the same process and on the
same data it times ``json.dumps`` of the response dict, so the ratio stays
meaningful across machines. The last line of output is one JSON object for
tools (the lead's docs/benchmarks.md).

Only the engine is measured: no web framework, database or serialisation of
the result. The garbage collector stays on, as it would in the server.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import NA, Rubric
from app.scoring import (
    METHOD,
    ResponseValue,
    score_document,
    score_responses,
    validate_responses,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RUBRIC = Path("rubrics/product-owner.yaml")
FALLBACK_RUBRIC = Path("tests/fixtures/rubrics/mini.yaml")

Responses = dict[str, ResponseValue]


def resolve(path: Path) -> Path:
    """Paths are relative to the repository root, so the script runs from anywhere."""
    return path if path.is_absolute() else ROOT / path


def generate(rubric: Rubric, n: int, seed: int) -> list[Responses]:
    """N plausible questionnaires: per-participant tendency plus noise, some n/a and gaps."""
    rng = random.Random(seed)
    lo, hi = rubric.scale.min, rubric.scale.max
    item_ids = list(rubric.items_by_id)
    sets: list[Responses] = []
    for _ in range(n):
        tendency = rng.uniform(lo, hi)
        responses: Responses = {}
        for item_id in item_ids:
            roll = rng.random()
            if roll < 0.02:
                continue  # unanswered
            if roll < 0.06 and rubric.scale.allow_na:
                responses[item_id] = NA
                continue
            responses[item_id] = min(hi, max(lo, round(rng.gauss(tendency, 1.0))))
        sets.append(responses)
    return sets


def time_each(data: Sequence[Responses], op: Callable[[Responses], Any]) -> list[int]:
    """Nanoseconds per call of ``op`` on each element."""
    clock = time.perf_counter_ns
    timings: list[int] = []
    for responses in data:
        start = clock()
        op(responses)
        timings.append(clock() - start)
    return timings


def stats_us(timings: Sequence[int]) -> dict[str, float]:
    """Total (s), mean, p50 and p95 (microseconds, nearest rank)."""
    ordered = sorted(timings)
    n = len(ordered)

    def rank(q: float) -> float:
        return ordered[min(n - 1, max(0, round(q * n) - 1))] / 1000

    return {
        "total_s": round(sum(ordered) / 1e9, 4),
        "mean_us": round(sum(ordered) / n / 1000, 2),
        "p50_us": round(rank(0.50), 2),
        "p95_us": round(rank(0.95), 2),
    }


def round_stats(means: Sequence[float]) -> dict[str, float]:
    """Min and median of the per-round means (microseconds)."""
    return {"min_us": round(min(means), 2), "median_us": round(statistics.median(means), 2)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=10_000, help="response sets (default 10000)")
    parser.add_argument("--rubric", type=Path, default=DEFAULT_RUBRIC)
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds")
    args = parser.parse_args(argv)
    if args.n < 1 or args.rounds < 1:
        parser.error("--n must be at least 1")

    rubric_path = resolve(args.rubric)
    if not rubric_path.exists():
        print(f"note: {args.rubric} does not exist yet; falling back to {FALLBACK_RUBRIC}")
        rubric_path = resolve(FALLBACK_RUBRIC)
    rubric = load_rubric_file(rubric_path).rubric
    data = generate(rubric, args.n, args.seed)

    def validate_and_score(responses: Responses) -> None:
        problems = validate_responses(rubric, responses)
        if problems:
            raise SystemExit(f"generated responses are invalid: {problems[:3]}")
        score_responses(rubric, responses)

    def validate_and_score_document(responses: Responses) -> None:
        if validate_responses(rubric, responses):
            raise SystemExit("generated responses are invalid")
        score_document(rubric, responses)

    # Warm up: derived rubric lookups are cached on first use; don't time that.
    for responses in data[:50]:
        validate_and_score(responses)
        validate_and_score_document(responses)
        json.dumps(responses)

    # Interleaved rounds: each round times the three operations on the same slice,
    # so drift on a shared machine hits them alike; min and median of the
    # per-round means are the figures (the min is the least disturbed round).
    ops: dict[str, Callable[[Responses], Any]] = {
        "engine": validate_and_score,
        "plain": validate_and_score_document,
        "baseline": json.dumps,
    }
    timings: dict[str, list[int]] = {name: [] for name in ops}
    rounds: dict[str, list[float]] = {name: [] for name in ops}
    size = max(1, len(data) // args.rounds)
    for start in range(0, len(data), size):
        chunk = data[start : start + size]
        for name, op in ops.items():
            each = time_each(chunk, op)
            timings[name] += each
            rounds[name].append(sum(each) / len(each) / 1000)
    engine = stats_us(timings["engine"]) | round_stats(rounds["engine"])
    plain = stats_us(timings["plain"]) | round_stats(rounds["plain"])
    baseline = stats_us(timings["baseline"]) | round_stats(rounds["baseline"])
    ratio = round(engine["min_us"] / baseline["min_us"], 1) if baseline["min_us"] else None

    items = rubric.item_count
    behaviors = sum(len(c.behaviors) for c in rubric.competencies)
    print(
        f"rubric {rubric.id} v{rubric.version} ({rubric_path.relative_to(ROOT)}): "
        f"{len(rubric.competencies)} competencies, {behaviors} behaviors, {items} items"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}, n={args.n}, seed={args.seed}"
    )
    print(
        f"validate+score : total {engine['total_s']:.3f} s, mean {engine['mean_us']:.1f} us, "
        f"p50 {engine['p50_us']:.1f} us, p95 {engine['p95_us']:.1f} us; "
        f"rounds min {engine['min_us']:.1f} us, median {engine['median_us']:.1f} us"
    )
    print(
        f"json.dumps     : total {baseline['total_s']:.3f} s, mean {baseline['mean_us']:.1f} us, "
        f"p50 {baseline['p50_us']:.1f} us, p95 {baseline['p95_us']:.1f} us; "
        f"rounds min {baseline['min_us']:.1f} us, median {baseline['median_us']:.1f} us"
    )
    print(
        f"validate+document: total {plain['total_s']:.3f} s, mean {plain['mean_us']:.1f} us, "
        f"p50 {plain['p50_us']:.1f} us, p95 {plain['p95_us']:.1f} us; "
        f"rounds min {plain['min_us']:.1f} us, median {plain['median_us']:.1f} us"
    )
    print(f"ratio (min validate+score / min json.dumps): {ratio}x")
    print(
        json.dumps(
            {
                "bench": "scoring",
                "method": METHOD,
                "rubric": f"{rubric.id}@{rubric.version}",
                "items": items,
                "behaviors": behaviors,
                "n": args.n,
                "seed": args.seed,
                "python": platform.python_version(),
                "validate_score": engine,
                "validate_document": plain,
                "baseline_json_dumps": baseline,
                "rounds": args.rounds,
                "ratio_min": ratio,
            },
            separators=(",", ":"),
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
