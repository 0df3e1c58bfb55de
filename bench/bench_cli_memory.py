"""Peak memory of ``stepwise score`` on a large CSV: does it stay flat?

Usage::

    .venv/bin/python bench/bench_cli_memory.py [--rows 200000] [--baseline-rows 1000]
        [--formats ndjson,json] [--rubric rubrics/product-owner.yaml]

Writes seeded random answers for the rubric (the generator of
``bench_scoring.py``: per-participant tendency, noise, some n/a and gaps) as
a CSV with a ``respondent`` column, ``--rows`` rows and ``--baseline-rows``
rows. Then runs the real CLI as a subprocess on each file and format, output
to a pipe that this script drains and counts, and measures the child's peak
resident set size (``ru_maxrss`` of ``RUSAGE_CHILDREN``, taken in a fresh
intermediate process per run so runs do not mask each other). The 1,000-row
run of the same format in the same invocation is the baseline: the ratio of
the peaks is the figure judged (goal: 200,000 rows under 300 MB). The last
line of output is one JSON object for tools (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_scoring import generate  # the sibling script (bench/ is on sys.path when run)

from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import Rubric

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RUBRIC = Path("rubrics/product-owner.yaml")
GOAL_MB = 300

#: Runs the command, drains its stdout counting bytes, prints one JSON line.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
size = 0
while chunk := child.stdout.read(1 << 20):
    size += len(chunk)
stderr = child.stderr.read().decode(errors="replace")
code = child.wait()
print(json.dumps({
    "rc": code,
    "stderr": stderr[-2000:],
    "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "seconds": time.perf_counter() - start,
    "output_bytes": size,
}))
"""


def write_csv(path: Path, rubric: Rubric, rows: int, seed: int) -> None:
    """``rows`` respondents, generated and written in batches (this script stays small too)."""
    item_ids = list(rubric.items_by_id)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", *item_ids])
        done = 0
        while done < rows:
            batch = min(10_000, rows - done)
            for offset, responses in enumerate(generate(rubric, batch, seed + done)):
                cells = [str(responses[i]) if i in responses else "" for i in item_ids]
                writer.writerow([f"p{done + offset + 1}", *cells])
            done += batch


def measure(csv_path: Path, rubric_id: str, output_format: str) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "score",
        "--rubric",
        rubric_id,
        "--format",
        output_format,
        str(csv_path),
    ]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "STEPWISE_RUBRICS_DIR": str(csv_path.parent / "rubrics")},
        check=True,
    )
    report = json.loads(done.stdout)
    if report["rc"] != 0:
        raise SystemExit(f"stepwise score failed ({report['rc']}):\n{report['stderr']}")
    return {
        "peak_mb": round(report["peak_kb"] / 1024, 1),
        "seconds": round(report["seconds"], 1),
        "output_mb": round(report["output_bytes"] / 1e6, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    parser.add_argument("--formats", default="ndjson,json", help="comma-separated")
    parser.add_argument("--rubric", type=Path, default=DEFAULT_RUBRIC)
    parser.add_argument("--seed", type=int, default=20_240_601)
    args = parser.parse_args(argv)
    rubric_path = args.rubric if args.rubric.is_absolute() else ROOT / args.rubric
    rubric = load_rubric_file(rubric_path).rubric
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "rubric": f"{rubric.id} {rubric.version} ({rubric.item_count} items)",
        "rows": args.rows,
        "baseline_rows": args.baseline_rows,
        "goal_mb": GOAL_MB,
    }
    with tempfile.TemporaryDirectory(prefix="stepwise-bench-") as tmp:
        directory = Path(tmp)
        (directory / "rubrics").mkdir()
        (directory / "rubrics" / rubric_path.name).write_bytes(rubric_path.read_bytes())
        files = {}
        for rows in (args.baseline_rows, args.rows):
            path = directory / f"answers-{rows}.csv"
            started = time.perf_counter()
            write_csv(path, rubric, rows, args.seed)
            files[rows] = path
            size = path.stat().st_size / 1e6
            print(f"wrote {path.name}: {size:.1f} MB in {time.perf_counter() - started:.0f} s")
        for output_format in formats:
            base = measure(files[args.baseline_rows], rubric.id, output_format)
            big = measure(files[args.rows], rubric.id, output_format)
            ratio = round(big["peak_mb"] / base["peak_mb"], 2)
            results[output_format] = {"baseline": base, "large": big, "ratio": ratio}
            print(
                f"{output_format:>6}: {args.baseline_rows:,} rows {base['peak_mb']} MB peak "
                f"({base['seconds']} s); {args.rows:,} rows {big['peak_mb']} MB peak "
                f"({big['seconds']} s, {big['output_mb']} MB out); ratio {ratio}; "
                f"goal < {GOAL_MB} MB: {'met' if big['peak_mb'] < GOAL_MB else 'MISSED'}"
            )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
