"""The upgrade plan (app/assessments/upgrade.py) on hand-made versions of ``mini``.

Each test edits one thing of ``mini`` version "2" and checks which answers
carry over: what "unchanged" means is the contract (docs/rubric-format.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.assessments.upgrade import Change, plan_upgrade
from app.rubrics.loader import parse_rubric
from app.rubrics.schemas import Rubric
from tests.fixtures.assessments import MINI_CONSISTENT
from tests.fixtures.rubric_models import (
    MINI_3_KEPT,
    MINI_3_TO_ANSWER,
    mini_document,
    mini_version_3,
)


def _edited(edit: Callable[[dict[str, Any]], None]) -> Rubric:
    data = mini_document()
    data["version"] = "9"
    edit(data)
    return parse_rubric(data, source="hand-made")


def _planning(data: dict[str, Any]) -> dict[str, Any]:
    behavior: dict[str, Any] = data["competencies"][0]["behaviors"][0]
    return behavior


def test_unchanged_items_keep_their_answers_and_the_others_are_asked_anew(
    mini_rubric: Rubric,
) -> None:
    plan = plan_upgrade(mini_rubric, mini_version_3(), MINI_CONSISTENT)
    assert plan.kept == MINI_3_KEPT
    assert {i.item_id: i.change.value for i in plan.to_answer} == MINI_3_TO_ANSWER
    # pl-3 was removed; pl-2a and rv-3b changed: their answers go.
    assert plan.dropped == ("pl-2a", "pl-3", "rv-3b")
    assert (plan.from_version, plan.to_version, plan.scale_changed) == ("2", "3", False)
    # Questionnaire order of the new version.
    assert plan.to_answer_ids == ("pl-2a", "pl-4", "rv-3b")
    assert plan.to_answer[1].text == "I plan the year."


def test_only_answered_items_are_kept_or_dropped(mini_rubric: Rubric) -> None:
    plan = plan_upgrade(mini_rubric, mini_version_3(), {"pl-1": 2, "pl-3": 0, "rv-1": None})
    assert plan.kept == ("pl-1",)
    assert plan.dropped == ("pl-3",)
    assert len(plan.to_answer) == 3  # what must be answered anew does not depend on answers


def test_the_same_rubric_keeps_everything(mini_rubric: Rubric) -> None:
    plan = plan_upgrade(mini_rubric, mini_rubric, MINI_CONSISTENT)
    assert set(plan.kept) == set(MINI_CONSISTENT)
    assert plan.dropped == () and plan.to_answer == ()


def test_rewording_only_whitespace_is_no_change(mini_rubric: Rubric) -> None:
    new = _edited(
        lambda d: _planning(d)["levels"]["novice"]["items"][0].update(text="  I plan my day.  ")
    )
    assert "pl-1" in plan_upgrade(mini_rubric, new, MINI_CONSISTENT).kept


def test_an_item_moved_to_another_level_is_changed(mini_rubric: Rubric) -> None:
    def move(data: dict[str, Any]) -> None:
        levels = _planning(data)["levels"]
        levels["expert"]["items"].append(levels["novice"]["items"].pop())
        levels["novice"]["items"] = [{"id": "pl-0", "text": "I keep a list."}]

    plan = plan_upgrade(mini_rubric, _edited(move), MINI_CONSISTENT)
    changes = {i.item_id: i.change for i in plan.to_answer}
    assert changes == {"pl-1": Change.changed, "pl-0": Change.new}
    assert "pl-1" in plan.dropped


def test_an_item_moved_to_another_behavior_is_changed(mini_rubric: Rubric) -> None:
    def move(data: dict[str, Any]) -> None:
        planning, review = data["competencies"][0]["behaviors"]
        review["levels"]["novice"]["items"].append(planning["levels"]["expert"]["items"].pop())
        planning["levels"]["expert"]["items"] = [{"id": "pl-3x", "text": "I plan a quarter."}]

    plan = plan_upgrade(mini_rubric, _edited(move), MINI_CONSISTENT)
    assert {i.item_id for i in plan.to_answer} == {"pl-3", "pl-3x"}


@pytest.mark.parametrize(
    "scale",
    [
        {"min": 0, "max": 5, "allow_na": False, "labels": {0: "Never", 4: "Always"}},
        {"min": 0, "max": 4, "allow_na": True, "labels": {0: "Never", 4: "Always"}},
        {"min": 0, "max": 4, "allow_na": False, "labels": {0: "Never", 4: "Every time"}},
    ],
    ids=["longer", "n/a allowed", "relabelled"],
)
def test_a_different_scale_asks_everything_anew(mini_rubric: Rubric, scale: dict[str, Any]) -> None:
    plan = plan_upgrade(mini_rubric, _edited(lambda d: d.update(scale=scale)), MINI_CONSISTENT)
    assert plan.scale_changed and plan.kept == ()
    assert set(plan.dropped) == set(MINI_CONSISTENT)
    assert {i.change for i in plan.to_answer} == {Change.changed}


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(scoring={"threshold": 2.5, "overall": "median"}),
        lambda d: _planning(d)["levels"]["novice"].update(descriptor="Plans a morning."),
        lambda d: _planning(d).update(name="Planning ahead"),
        lambda d: d["levels"][0].update(name="Beginner"),
    ],
    ids=["scoring rules", "descriptor", "behavior name", "level name"],
)
def test_what_does_not_change_an_answer(
    mini_rubric: Rubric, edit: Callable[[dict[str, Any]], None]
) -> None:
    plan = plan_upgrade(mini_rubric, _edited(edit), MINI_CONSISTENT)
    assert set(plan.kept) == set(MINI_CONSISTENT) and plan.to_answer == ()


def test_answers_to_unknown_ids_are_dropped(mini_rubric: Rubric) -> None:
    plan = plan_upgrade(mini_rubric, mini_rubric, {"pl-1": 1, "ghost": 3})
    assert plan.kept == ("pl-1",) and plan.dropped == ("ghost",)


def test_the_document_is_plain_data(mini_rubric: Rubric) -> None:
    document = plan_upgrade(mini_rubric, mini_version_3(), {"pl-1": 1}).document()
    assert document["kept"] == ["pl-1"]
    assert document["to_answer"][0] == {
        "item_id": "pl-2a",
        "change": "changed",
        "text": "I plan my week ahead.",
    }
