"""The largest report the API accepts still renders within the default time limit."""

from __future__ import annotations

import time
from datetime import date, timedelta

from app.core.config import Settings
from app.reports.builder import build_report_data
from app.reports.document import render_report_html
from app.reports.fetcher import assets_base_url
from app.reports.limits import ELLIPSIS, MAX_NOTE, MAX_PLAN_ACTIONS, clip
from app.reports.model import PlanActionInput, ReviewedBehavior, ReviewInput
from app.reports.pool import RenderPool
from app.reports.render import ASSETS_DIR
from app.reports.sample import sample_result
from app.rubrics.schemas import Rubric

#: The API's own maxima (app/coaching/schemas.py): notes, texts, plan-action titles.
NOTE_MAX, TEXT_MAX, TITLE_MAX, PLAN_ACTIONS = 20_000, 5_000, 300, 300


def _words(n_chars: int, seed: int) -> str:
    words = ["stakeholder", "alignment", "roadmap", "<b>bold</b>", "outcome", "x" * 40, "é"]
    out, i = [], seed
    while sum(len(w) + 1 for w in out) < n_chars:
        out.append(words[i % len(words)])
        i += 3
    return " ".join(out)[:n_chars]


def test_clip_cuts_at_a_word_and_says_so() -> None:
    assert clip("short", 10) == "short"
    clipped = clip("alpha beta gamma delta epsilon", 20)
    assert clipped.endswith(ELLIPSIS) and len(clipped) <= 20
    assert clipped.removesuffix(ELLIPSIS) == "alpha beta gamma"
    assert len(clip("x" * 50, 20)) == 20  # one long word is cut inside it


def test_a_report_at_the_api_maximum_renders_within_the_limit(po_rubric: Rubric) -> None:
    result = sample_result(po_rubric)
    behaviors = [b for c in po_rubric.competencies for b in c.behaviors]
    review = ReviewInput(
        coach_name="C" * 200,
        reviewed_on=date(2026, 1, 10),
        summary=_words(NOTE_MAX, 1),
        behaviors={
            b.id: ReviewedBehavior(
                level=1,
                target=2,
                shared_note=_words(TEXT_MAX, i) + "\nEvidence: " + _words(TEXT_MAX, i + 1),
            )
            for i, b in enumerate(behaviors)
        },
    )
    plan = [
        PlanActionInput(
            title=_words(TITLE_MAX, i),
            behavior_id=behaviors[i % len(behaviors)].id,
            success_measure=_words(TEXT_MAX, i + 2),
            due_on=date(2026, 2, 1) + timedelta(days=i),
            status="planned",
        )
        for i in range(PLAN_ACTIONS)
    ]
    data = build_report_data(
        rubric=po_rubric,
        result=result,
        participant_name="P" * 200,
        assessed_on=date(2026, 1, 1),
        review=review,
        plan=plan,
    )
    assert len(data.plan) == MAX_PLAN_ACTIONS
    assert data.plan_omitted == PLAN_ACTIONS - MAX_PLAN_ACTIONS
    assert data.review_summary is not None and len(data.review_summary) <= MAX_NOTE
    html = render_report_html(data, asset_base=assets_base_url(ASSETS_DIR))
    assert f"{PLAN_ACTIONS - MAX_PLAN_ACTIONS} more actions are in the plan" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html  # user text stays text

    limit = Settings().report_timeout_seconds
    pool = RenderPool(workers=1, timeout=limit, max_renders_per_worker=1)
    try:
        started = time.perf_counter()
        outcome = pool.render(html)
        took = time.perf_counter() - started
    finally:
        pool.shutdown()
    assert outcome.pdf.startswith(b"%PDF")
    # Within the limit with room to spare on a shared, noisy machine.
    print(f"largest legal report: {took:.1f} s")
    assert took < limit / 2, f"{took:.1f} s"
