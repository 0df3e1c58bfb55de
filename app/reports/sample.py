"""A realistic, seeded report for any rubric: for the benchmark, the tests and a look at the layout.

The answers are simulated like a real participant's (each behavior has a
true level; items at or below it are mostly endorsed, items above mostly not),
then scored by the real engine, so the report shows the kind of spread a real
one does. The coach review, the plan and the history are made up around that
result. Nothing here touches the database.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.reports.builder import build_report_data
from app.reports.model import (
    HistoryPoint,
    PlanActionInput,
    ReportData,
    ReviewedBehavior,
    ReviewInput,
)
from app.rubrics.schemas import Rubric
from app.scoring import ResponseValue, ScoringResult, score_responses

PLAN_STATUSES = ("planned", "in_progress", "done")


def sample_responses(rubric: Rubric, *, seed: int = 7) -> dict[str, ResponseValue]:
    rng = random.Random(seed)  # noqa: S311 - simulated answers, not secrets
    top = max(level.order for level in rubric.levels)
    lo, hi = rubric.scale.min, rubric.scale.max
    truth = {
        b.id: rng.randint(0, max(0, top - 1)) for c in rubric.competencies for b in c.behaviors
    }
    answers: dict[str, ResponseValue] = {}
    for ref in rubric.iter_items():
        strong = ref.level.order <= truth[ref.behavior.id]
        base = hi - rng.choice((0, 0, 1)) if strong else lo + rng.choice((0, 1, 1, 2))
        answers[ref.item.id] = min(hi, max(lo, base))
    return answers


def sample_result(rubric: Rubric, *, seed: int = 7) -> ScoringResult:
    return score_responses(rubric, sample_responses(rubric, seed=seed))


def sample_report_data(
    rubric: Rubric,
    *,
    seed: int = 7,
    participant_name: str = "Alex Example",
    assessed_on: date = date(2025, 3, 14),
    reviewed: bool = True,
    plan_size: int = 6,
    history_size: int = 2,
    shared_note: str | None = None,
    locale: str = "en",
) -> ReportData:
    """A complete report: coach review (levels, targets, notes), a plan and earlier assessments.

    ``locale`` is the report's language; the made-up texts (summary, notes, plan) stay English.
    """
    rng = random.Random(seed + 1)  # noqa: S311 - made-up review, not secrets
    result = sample_result(rubric, seed=seed)
    top = max(level.order for level in rubric.levels)
    behaviors = [(c, b) for c in rubric.competencies for b in c.behaviors]
    review = None
    if reviewed:
        rated: dict[str, ReviewedBehavior] = {}
        for index, (_, behavior) in enumerate(behaviors):
            own = result.behavior(behavior.id).level
            coach = min(top, max(0, own + rng.choice((-1, 0, 0, 0, 1))))
            target = min(top, coach + rng.choice((1, 1, 2))) if index % 2 == 0 else None
            note = shared_note if index == 0 else None
            if note is None and index % 5 == 1:
                note = "Good evidence in the last quarter; let's pick one action for the next one."
            rated[behavior.id] = ReviewedBehavior(level=coach, target=target, shared_note=note)
        review = ReviewInput(
            coach_name="Casey Coach",
            reviewed_on=assessed_on + timedelta(days=6),
            summary="A solid base across the framework. Focus the next quarter on the gaps "
            "flagged below, one action at a time.",
            behaviors=rated,
        )
    plan = []
    for index in range(plan_size):
        _, behavior = behaviors[(index * 3) % len(behaviors)]
        nxt = result.behavior(behavior.id).next
        title = nxt.actions[0] if nxt and nxt.actions else f"Practise {behavior.name.lower()}"
        plan.append(
            PlanActionInput(
                title=title,
                behavior_id=behavior.id,
                success_measure="Discussed the outcome with my coach and agreed the next step",
                due_on=assessed_on + timedelta(days=30 * (index + 1)),
                status=PLAN_STATUSES[index % len(PLAN_STATUSES)],
            )
        )
    history = []
    for step in range(history_size, 0, -1):
        earlier = sample_result(rubric, seed=seed - step)
        history.append(
            HistoryPoint(
                assessed_on=assessed_on - timedelta(days=182 * step),
                competency_levels={c.id: c.level for c in earlier.competencies},
            )
        )
    return build_report_data(
        rubric=rubric,
        result=result,
        participant_name=participant_name,
        assessed_on=assessed_on,
        review=review,
        plan=plan,
        history=history,
        locale=locale,
    )
