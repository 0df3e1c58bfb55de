"""The results page's rules (app.coaching.outlook) and the PDF's agree, and say it in words."""

from __future__ import annotations

from datetime import date

from app.coaching.calibration import agreed_competency_level, due_first, next_steps
from app.coaching.outlook import ladder, score_line
from app.coaching.page_models import answer_label, answers_by_behavior
from app.reports.builder import build_report_data
from app.reports.model import ReviewedBehavior, ReviewInput
from app.rubrics.schemas import Rubric
from app.scoring import score_responses
from tests.fixtures.assessments import MINI_CONSISTENT, MINI_INCONSISTENT


def test_next_steps_lead_to_the_target_or_one_level_up(mini: Rubric) -> None:
    planning, review = mini.competencies[0].behaviors
    current, steps = next_steps(mini, planning, reference=1, target=3)
    assert current == "Plans a day."
    assert [s.name for s in steps] == ["Practitioner", "Expert"]
    _, steps = next_steps(mini, planning, reference=1, target=None)
    assert [s.name for s in steps] == ["Practitioner"]
    _, steps = next_steps(mini, review, reference=1, target=None)  # sparse: skips practitioner
    assert [s.name for s in steps] == ["Expert"]
    current, steps = next_steps(mini, review, reference=0, target=1)
    assert (current, [s.name for s in steps]) == (None, ["Novice"])
    assert next_steps(mini, planning, reference=3, target=3)[1] == []


def test_the_pdf_uses_the_same_reference_and_path(mini: Rubric) -> None:
    result = score_responses(mini, MINI_INCONSISTENT)
    review = ReviewInput(
        coach_name="C",
        behaviors={"planning": ReviewedBehavior(level=1, target=3), "review": ReviewedBehavior()},
    )
    data = build_report_data(
        rubric=mini, result=result, participant_name="P", assessed_on=date(2026, 1, 1),
        review=review,
    )  # fmt: skip
    planning, rev = data.competencies[0].behaviors
    behavior = mini.competencies[0].behaviors[0]
    current, steps = next_steps(mini, behavior, reference=1, target=3)
    assert planning.reference_level.name == "Novice"
    assert planning.current_descriptor == current
    assert [p.level.name for p in planning.path] == [s.name for s in steps]
    assert rev.reference_level.order == result.behavior("review").level  # self, unrated
    assert data.competencies[0].coach_level is None  # review unrated: no agreed level
    assert agreed_competency_level(mini, [1, None]) is None
    assert agreed_competency_level(mini, [1, 3]) == 1  # the mini rubric's rule is "minimum"


def test_the_score_in_one_line(mini: Rubric) -> None:
    result = score_responses(mini, MINI_CONSISTENT)
    planning = result.behavior("planning")
    line = score_line(mini, planning)
    assert line.startswith(f"Score {planning.score:.2f}: Practitioner (level 2) is reached")
    assert "of the way to Expert" in line
    assert "average 3 or more" in line
    top = score_responses(mini, dict.fromkeys(mini.items_by_id, 4)).behavior("planning")
    assert (
        score_line(mini, top)
        == "Score 3.00: Expert (level 3) is reached, the highest this behavior describes."
    )
    nothing = score_responses(mini, dict.fromkeys(mini.items_by_id, 0)).behavior("review")
    assert score_line(mini, nothing).startswith(
        "Score 0.00: no level is reached yet, and you are 0%"
    )


def test_ladder_marks_and_answers(mini: Rubric) -> None:
    review = mini.competencies[0].behaviors[1]
    rungs = ladder(mini, review, self_level=3, coach_level=1, target_level=3)
    assert [(r.name, r.marks) for r in rungs] == [
        ("Novice", ("Coach",)), ("Expert", ("You", "Target"))
    ]  # fmt: skip
    assert answer_label(mini, 4) == ("4 · Always", 4)
    assert answer_label(mini, 2) == ("2", 2)
    assert answer_label(mini, None) == ("Not answered", None)
    answers = answers_by_behavior(mini, {"rv-1": 1})
    assert [(a.level_name, a.answer) for a in answers["review"]] == [
        ("Novice", "1"), ("Expert", "Not answered"), ("Expert", "Not answered")
    ]  # fmt: skip


def test_plans_sort_earliest_due_first_undated_last() -> None:
    dues = [None, date(2026, 3, 1), date(2026, 1, 1), None]
    assert sorted(dues, key=due_first) == [date(2026, 1, 1), date(2026, 3, 1), None, None]
