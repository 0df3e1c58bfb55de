"""What a report says: reference levels, paths, highlights, plan and growth (pure builder).

Uses ``mini.yaml``: scale 0..4, threshold 3, overall rule "minimum"; behavior
``planning`` defines novice(1)/practitioner(2)/expert(3), ``review`` skips
practitioner. With the answers below planning reaches 2 and review 1.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.reports.builder import build_report_data
from app.reports.model import (
    HistoryPoint,
    PlanActionInput,
    ReportBehavior,
    ReportData,
    ReviewedBehavior,
    ReviewInput,
    canonical_json,
)
from app.rubrics.schemas import Rubric
from app.scoring import ScoringResult, score_responses

DAY = date(2025, 3, 14)
# planning: novice 4 -> shown, practitioner (4+4)/2 -> shown, expert 0 -> stop: level 2.
# review: novice 4 -> shown, expert (0+0)/2 -> stop: level 1.
ANSWERS = {"pl-1": 4, "pl-2a": 4, "pl-2b": 4, "pl-3": 0, "rv-1": 4, "rv-3a": 0, "rv-3b": 0}


def _build(rubric: Rubric, answers: dict[str, int] | None = None, **kw: object) -> ReportData:
    result = score_responses(rubric, answers if answers is not None else ANSWERS)
    return build_report_data(
        rubric=rubric,
        result=result,
        participant_name="Pat",
        assessed_on=DAY,
        **kw,  # type: ignore[arg-type]
    )


def _behavior(data: ReportData, behavior_id: str) -> ReportBehavior:
    return next(b for c in data.competencies for b in c.behaviors if b.id == behavior_id)


def test_without_review_the_path_is_the_next_defined_level(mini_rubric: Rubric) -> None:
    data = _build(mini_rubric)
    planning, review = _behavior(data, "planning"), _behavior(data, "review")
    assert (planning.self_level.order, planning.reference_level.name) == (2, "Practitioner")
    assert planning.current_descriptor == "Plans a week."
    assert [(s.level.name, s.descriptor, s.actions) for s in planning.path] == [
        ("Expert", "Plans a quarter.", ("Draft a quarterly plan.",))
    ]
    # review skips practitioner: from novice the next step is expert.
    assert review.current_descriptor == "Asks for review."
    assert [s.level.order for s in review.path] == [3]
    assert planning.coach_level is None and planning.calibration is None
    assert data.coach_name is None and data.level_names == (
        "Not yet",
        "Novice",
        "Practitioner",
        "Expert",
    )


def test_the_coach_level_is_the_reference_and_the_path_runs_to_the_target(
    mini_rubric: Rubric,
) -> None:
    review = ReviewInput(
        coach_name="Casey",
        reviewed_on=date(2025, 3, 20),
        behaviors={"planning": ReviewedBehavior(level=1, target=3, shared_note="Keep going")},
    )
    planning = _behavior(_build(mini_rubric, review=review), "planning")
    assert planning.reference_level.order == 1
    assert planning.current_descriptor == "Plans a day."
    assert [s.level.name for s in planning.path] == ["Practitioner", "Expert"]
    assert planning.calibration == "Self-assessment 1 level above the coach's rating"
    assert planning.shared_note == "Keep going"


def test_an_explicit_calibration_flag_wins_and_a_reached_target_shows_the_next_step(
    mini_rubric: Rubric,
) -> None:
    review = ReviewInput(
        coach_name="Casey",
        behaviors={"planning": ReviewedBehavior(level=2, target=1, calibration="Discuss")},
    )
    planning = _behavior(_build(mini_rubric, review=review), "planning")
    assert planning.calibration == "Discuss"
    assert [s.level.name for s in planning.path] == ["Expert"]


def test_level_zero_and_the_top_level(mini_rubric: Rubric) -> None:
    nothing = _build(mini_rubric, dict.fromkeys(ANSWERS, 0))
    planning = _behavior(nothing, "planning")
    assert planning.self_level.name == "Not yet" and planning.current_descriptor is None
    assert [s.level.name for s in planning.path] == ["Novice"]
    assert nothing.strengths == ()  # nothing demonstrated is nobody's strength

    everything = _build(mini_rubric, dict.fromkeys(ANSWERS, 4))
    top = _behavior(everything, "planning")
    assert top.self_level.name == "Expert" and top.path == ()
    assert everything.gaps == ()  # at the top everywhere: no gap to show


def test_the_competency_coach_level_needs_every_behavior_rated(mini_rubric: Rubric) -> None:
    partial = ReviewInput(coach_name="C", behaviors={"planning": ReviewedBehavior(level=3)})
    assert _build(mini_rubric, review=partial).competencies[0].coach_level is None
    full = ReviewInput(
        coach_name="C",
        behaviors={"planning": ReviewedBehavior(level=3), "review": ReviewedBehavior(level=2)},
    )
    competency = _build(mini_rubric, review=full).competencies[0]
    assert competency.coach_level is not None
    assert competency.coach_level.order == 2  # mini's overall rule is "minimum"
    assert competency.self_level.order == 1


def test_strengths_and_gaps_never_overlap(mini_rubric: Rubric) -> None:
    data = _build(mini_rubric)
    assert [h.behavior_id for h in data.strengths] == ["planning"]
    assert [h.behavior_id for h in data.gaps] == ["review"]
    assert data.gaps[0].detail == "Next step: Expert"


def test_with_targets_the_biggest_gap_is_the_longest_way_to_the_target(
    po_rubric: Rubric,
) -> None:
    result = score_responses(po_rubric, {})  # everything at 0
    behaviors = [b.id for c in po_rubric.competencies for b in c.behaviors]
    review = ReviewInput(
        coach_name="C",
        behaviors={
            behaviors[0]: ReviewedBehavior(level=3, target=4),
            behaviors[1]: ReviewedBehavior(level=1, target=5),
            behaviors[2]: ReviewedBehavior(level=2, target=4),
        },
    )
    data = build_report_data(
        rubric=po_rubric, result=result, participant_name="P", assessed_on=DAY, review=review
    )
    # Distances 4, 2, 1; the rest is at 0 with no target, so there is no strength.
    assert [h.behavior_id for h in data.gaps] == [behaviors[1], behaviors[2], behaviors[0]]
    assert data.gaps[0].detail == "4 levels to the target, Catalyst"
    assert data.gaps[2].detail == "1 level to the target, Guide"
    assert data.strengths == ()


def test_the_plan_is_ordered_by_due_date_with_names_and_readable_status(
    mini_rubric: Rubric,
) -> None:
    plan = [
        PlanActionInput("Later", "review", None, date(2025, 6, 1), "in_progress"),
        PlanActionInput("Undated", None, "", None, "done"),
        PlanActionInput("Sooner", "planning", "Weekly review held", date(2025, 4, 1)),
    ]
    actions = _build(mini_rubric, plan=plan).plan
    assert [a.title for a in actions] == ["Sooner", "Later", "Undated"]
    assert [a.behavior_name for a in actions] == ["Planning", "Review", None]
    assert [a.status for a in actions] == ["Planned", "In progress", "Done"]
    assert actions[0].success_measure == "Weekly review held" and actions[2].success_measure is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"plan": [PlanActionInput("x", "nope")]}, "unknown behavior 'nope'"),
        (
            {"review": ReviewInput("C", behaviors={"nope": ReviewedBehavior(level=1)})},
            "unknown behavior 'nope'",
        ),
        (
            {"review": ReviewInput("C", behaviors={"planning": ReviewedBehavior(target=4)})},
            "outside 0..3",
        ),
    ],
)
def test_inputs_that_do_not_match_the_rubric_are_refused(
    mini_rubric: Rubric, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _build(mini_rubric, **kwargs)


def test_a_result_for_another_rubric_is_refused(mini_rubric: Rubric, po_rubric: Rubric) -> None:
    result: ScoringResult = score_responses(po_rubric, {})
    with pytest.raises(ValueError, match="result is for product-owner"):
        build_report_data(rubric=mini_rubric, result=result, participant_name="P", assessed_on=DAY)


def test_growth_lists_earlier_assessments_then_this_one(mini_rubric: Rubric) -> None:
    assert _build(mini_rubric).growth == ()
    history = [
        HistoryPoint(date(2024, 9, 1), {"craft": 1}),
        HistoryPoint(date(2024, 3, 1), {"craft": 0}),
        HistoryPoint(date(2026, 1, 1), {"craft": 3}),  # after this assessment: not history
    ]
    review = ReviewInput(
        "C", behaviors={"planning": ReviewedBehavior(level=3), "review": ReviewedBehavior(level=3)}
    )
    (series,) = _build(mini_rubric, history=history, review=review).growth
    assert [(p.assessed_on, p.level.order) for p in series.points] == [
        (date(2024, 3, 1), 0),
        (date(2024, 9, 1), 1),
        (DAY, 3),  # this assessment: the coach's level
    ]


def test_canonical_json_is_stable_and_follows_the_content(mini_rubric: Rubric) -> None:
    one = canonical_json(_build(mini_rubric))
    assert one == canonical_json(_build(mini_rubric))
    rated = ReviewInput("C", behaviors={"planning": ReviewedBehavior(level=1)})
    other = ReviewInput("C", behaviors={"planning": ReviewedBehavior(level=2)})
    assert canonical_json(_build(mini_rubric, review=rated)) != canonical_json(
        _build(mini_rubric, review=other)
    )
    assert '"assessed_on":"2025-03-14"' in one


def test_review_input_has_no_place_for_private_notes() -> None:
    names = {f.name for f in dataclasses.fields(ReviewInput)} | {
        f.name for f in dataclasses.fields(ReviewedBehavior)
    }
    assert not any("private" in name for name in names)
    with pytest.raises(TypeError):
        ReviewInput("C", private_notes="PRIVATE")  # type: ignore[call-arg]
