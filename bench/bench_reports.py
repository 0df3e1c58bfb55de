"""Benchmark of the PDF development report: render time, cached download, memory.

Usage::

    .venv/bin/python bench/bench_reports.py [--runs 7] [--series 50]

Measures, in one process on one machine:

1. **Render**: the typical Product Owner report (``rubrics/product-owner.yaml``:
   all 4 competencies and 23 behaviors, a coach review with ratings, targets
   and notes, a 6-action plan, two earlier assessments; see
   ``app/reports/sample.py``) and, as the baseline, a minimal one-line
   WeasyPrint document rendered by the same ``render_pdf`` (same fetcher,
   same PDF/UA variant). ``--runs`` interleaved runs each; medians of wall
   and CPU time, and their ratio. Issue 20's baseline (goal 3: the full
   report in at most 2.5x its CPU): the report's own words, in reading
   order, as plain 50-word paragraphs with no stylesheet, rendered by the
   same ``render_pdf`` in the same run. For context, the same line with the
   report's stylesheet and fonts too.
2. **Cached re-download**: ``GET /api/v1/assessments/{id}/report.pdf`` through
   the real app (ASGI in-process, SQLite in a temporary directory) after the
   first request rendered and cached it; also the ``If-None-Match`` 304.
3. **Memory**: RSS after each of ``--series`` full renders in a row in this
   process (no worker recycling); goal: no growth after the first few.

The last line of output is one JSON object for tools (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import html as html_escape
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_TMP = Path(tempfile.mkdtemp(prefix="stepwise-bench-reports-"))
# Settings are read once, on first use: fix them before any app module asks.
os.environ.update(
    STEPWISE_ENVIRONMENT="test",
    STEPWISE_DATABASE_URL=f"sqlite:///{_TMP / 'bench.db'}",
    STEPWISE_RUBRICS_DIR=str(ROOT / "rubrics"),
    STEPWISE_VAR_DIR=str(_TMP),
    STEPWISE_REPORT_WORKERS="1",
)
sys.path.insert(0, str(ROOT))

from app.accounts import service as accounts  # noqa: E402
from app.accounts.models import Role  # noqa: E402
from app.assessments import service as assessments  # noqa: E402
from app.core import migrations  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import open_session  # noqa: E402
from app.reports.document import render_report_html  # noqa: E402
from app.reports.fetcher import assets_base_url  # noqa: E402
from app.reports.render import ASSETS_DIR, release_memory, render_pdf  # noqa: E402
from app.reports.sample import sample_report_data, sample_responses  # noqa: E402
from app.rubrics.loader import load_rubric_dir, load_rubric_file  # noqa: E402
from app.rubrics.service import sync_rubrics  # noqa: E402

RUBRIC = ROOT / "rubrics" / "product-owner.yaml"
MINIMAL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Minimal</title></head>'
    "<body><p>Hello, world.</p></body></html>"
)
#: The same line with the report's stylesheet and bundled fonts: the fixed cost of any report.
STYLED = MINIMAL.replace("</head>", '<link rel="stylesheet" href="reports/report.css"></head>')


#: Words per paragraph of the plain-words baseline (issue 20, goal 3).
WORDS_PER_PARAGRAPH = 50
#: Issue 20, goal 3: the full report in at most this many times the CPU of its plain words.
WORDS_GOAL = 2.5


class _Words(HTMLParser):
    """The words a reader sees: text outside ``<head>``, ``<style>``, ``<script>`` and ``<svg>``."""

    _HIDDEN = frozenset({"head", "style", "script", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.extend(data.split())


def plain_words_document(report_html: str) -> tuple[str, int]:
    """The report's words as plain 50-word paragraphs: (document, word count)."""
    parser = _Words()
    parser.feed(report_html)
    words = parser.words
    paragraphs = "".join(
        f"<p>{html_escape.escape(' '.join(words[i : i + WORDS_PER_PARAGRAPH]))}</p>"
        for i in range(0, len(words), WORDS_PER_PARAGRAPH)
    )
    document = MINIMAL.replace("<p>Hello, world.</p>", paragraphs).replace(
        "<title>Minimal</title>", "<title>Words</title>"
    )
    return document, len(words)


def use_subsetter(*, fonttools: bool) -> str:
    """Which font subsetter WeasyPrint uses in this run: HarfBuzz's (C) or fontTools (Python)."""
    import logging

    import weasyprint.pdf.fonts as weasyprint_fonts

    if fonttools:
        weasyprint_fonts.harfbuzz_subset = None
        # WeasyPrint warns once per font and render when it falls back; that is the point here.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return "HarfBuzz" if weasyprint_fonts.harfbuzz_subset is not None else "fontTools"


def rss_mib() -> float:
    """Resident memory of this process now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(html: str) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(html)
    return time.perf_counter() - wall, time.process_time() - cpu, len(pdf)


def bench_render(runs: int) -> dict[str, Any]:
    rubric = load_rubric_file(RUBRIC).rubric
    data = sample_report_data(rubric)
    html = render_report_html(data, asset_base=assets_base_url(ASSETS_DIR))
    words_html, word_count = plain_words_document(html)
    timed(html), timed(MINIMAL), timed(STYLED), timed(words_html)  # warm up: imports, fonts
    full: list[tuple[float, float, int]] = []
    minimal: list[tuple[float, float, int]] = []
    styled: list[tuple[float, float, int]] = []
    words: list[tuple[float, float, int]] = []
    for _ in range(runs):
        full.append(timed(html))
        minimal.append(timed(MINIMAL))
        styled.append(timed(STYLED))
        words.append(timed(words_html))
    full_wall = statistics.median(r[0] for r in full)
    full_cpu = statistics.median(r[1] for r in full)
    min_wall = statistics.median(r[0] for r in minimal)
    min_cpu = statistics.median(r[1] for r in minimal)
    words_cpu = statistics.median(r[1] for r in words)
    return {
        "runs": runs,
        "behaviors": data.behavior_count,
        "plan_actions": len(data.plan),
        "history_points": len(data.growth[0].points) - 1 if data.growth else 0,
        "full_pdf_bytes": full[0][2],
        "full_median_wall_s": round(full_wall, 3),
        "full_median_cpu_s": round(full_cpu, 3),
        "minimal_median_wall_s": round(min_wall, 4),
        "minimal_median_cpu_s": round(min_cpu, 4),
        "styled_minimal_median_wall_s": round(statistics.median(r[0] for r in styled), 4),
        "ratio_wall": round(full_wall / min_wall, 1),
        "ratio_cpu": round(full_cpu / min_cpu, 1),
        "words": word_count,
        "words_median_wall_s": round(statistics.median(r[0] for r in words), 3),
        "words_median_cpu_s": round(words_cpu, 3),
        "ratio_words_cpu": round(full_cpu / words_cpu, 2),
        "words_goal": WORDS_GOAL,
        "html": html,
    }


def bench_download(requests: int) -> dict[str, Any]:
    """The HTTP path, uncached then cached, through the real app and a SQLite database."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = get_settings()
    migrations.upgrade(settings.database_url)
    rubric = load_rubric_file(RUBRIC).rubric
    with open_session() as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(settings.rubrics_dir))
        user = accounts.create_user(
            session=session,
            email="bench@example.test",
            display_name="Bench Participant",
            roles=frozenset({Role.participant}),
            password=None,
            password_min_length=10,
        )
        token, _ = accounts.issue_api_token(session=session, user=user, ttl=timedelta(hours=1))
        state = assessments.create_assessment(session=session, user=user, rubric_id=rubric.id)
        state = assessments.save_responses(
            session=session,
            user=user,
            assessment_id=state.id,
            expected_version=state.version,
            responses=sample_responses(rubric),
        )
        state = assessments.submit_assessment(
            session=session, user=user, assessment_id=state.id, expected_version=state.version
        )
        session.commit()
        assessment_id = state.id
    url = f"/api/v1/assessments/{assessment_id}/report.pdf"
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app()) as client:
        start = time.perf_counter()
        first = client.get(url, headers=headers)
        first_s = time.perf_counter() - start
        assert first.status_code == 200 and first.headers["x-report-cache"] == "miss", first.text
        cached: list[float] = []
        not_modified: list[float] = []
        for _ in range(requests):
            start = time.perf_counter()
            again = client.get(url, headers=headers)
            cached.append(time.perf_counter() - start)
            assert again.headers["x-report-cache"] == "hit"
            start = time.perf_counter()
            same = client.get(url, headers={**headers, "If-None-Match": first.headers["etag"]})
            not_modified.append(time.perf_counter() - start)
            assert same.status_code == 304
    return {
        "first_request_s": round(first_s, 3),
        "cached_median_ms": round(statistics.median(cached) * 1000, 1),
        "not_modified_median_ms": round(statistics.median(not_modified) * 1000, 1),
        "requests": requests,
        "pdf_bytes": len(first.content),
    }


def bench_memory(html: str, series: int) -> dict[str, Any]:
    samples = []
    for _ in range(series):
        render_pdf(html)
        release_memory()  # what a pool worker does after each render
        samples.append(rss_mib())
    after_5 = samples[min(4, series - 1)]
    return {
        "renders": series,
        "rss_mib_after_1": round(samples[0], 1),
        "rss_mib_after_5": round(after_5, 1),
        "rss_mib_after_last": round(samples[-1], 1),
        "rss_mib_max": round(max(samples), 1),
        "growth_after_5_mib": round(samples[-1] - after_5, 1),
        "samples_mib": [round(s, 1) for s in samples],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="renders of each document")
    parser.add_argument("--series", type=int, default=50, help="renders in a row for memory")
    parser.add_argument("--requests", type=int, default=20, help="cached downloads")
    parser.add_argument(
        "--fonttools",
        action="store_true",
        help="subset fonts with fontTools, as WeasyPrint does without libharfbuzz-subset0",
    )
    args = parser.parse_args(argv)
    subsetter = use_subsetter(fonttools=args.fonttools)
    print(f"font subsetting: {subsetter}")

    render = bench_render(args.runs)
    html = render.pop("html")
    print(
        f"full report ({render['behaviors']} behaviors, {render['plan_actions']} actions, "
        f"{render['history_points']} earlier assessments, {render['full_pdf_bytes']} bytes): "
        f"median {render['full_median_wall_s']:.3f} s wall, {render['full_median_cpu_s']:.3f} s CPU"
    )
    print(
        f"minimal document: median {render['minimal_median_wall_s'] * 1000:.1f} ms wall, "
        f"{render['minimal_median_cpu_s'] * 1000:.1f} ms CPU"
    )
    print(
        "one line with the report's stylesheet and fonts: median "
        f"{render['styled_minimal_median_wall_s'] * 1000:.1f} ms wall"
    )
    print(f"ratio full/minimal: {render['ratio_wall']}x wall, {render['ratio_cpu']}x CPU")
    print(
        f"its {render['words']} words as plain {WORDS_PER_PARAGRAPH}-word paragraphs: median "
        f"{render['words_median_cpu_s']:.3f} s CPU; full/words {render['ratio_words_cpu']}x CPU "
        f"(goal <= {WORDS_GOAL}x)"
    )
    download = bench_download(args.requests)
    print(
        f"download: first (render + cache) {download['first_request_s']:.3f} s; "
        f"cached {download['cached_median_ms']} ms; "
        f"If-None-Match 304 {download['not_modified_median_ms']} ms"
    )
    memory = bench_memory(html, args.series)
    print(
        f"memory over {memory['renders']} renders: RSS {memory['rss_mib_after_1']} MiB after 1, "
        f"{memory['rss_mib_after_5']} after 5, {memory['rss_mib_after_last']} after the last "
        f"(growth after 5: {memory['growth_after_5_mib']} MiB)"
    )
    print(
        json.dumps(
            {
                "bench": "reports",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "font_subsetter": subsetter,
                "render": render,
                "download": download,
                "memory": memory,
            }
        )
    )
    from app.reports.pool import shutdown_pool

    shutdown_pool()
    return 0


if __name__ == "__main__":
    sys.exit(main())
