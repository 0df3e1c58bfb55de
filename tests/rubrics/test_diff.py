"""The rubric diff on hand-made pairs: renamed texts, moved behaviors, sparse levels."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from app.rubrics.diff import Change, FieldChange, diff_rubrics
from app.rubrics.loader import parse_rubric
from app.rubrics.schemas import Rubric
from tests.fixtures.paths import FIXTURE_RUBRICS

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURE_RUBRICS / "mini.yaml").read_text())
    return data


def _pair(base: dict[str, Any], edit: Edit) -> tuple[Rubric, Rubric]:
    new = copy.deepcopy(base)
    new["version"] = "3"
    edit(new)
    return parse_rubric(copy.deepcopy(base)), parse_rubric(new)


def _changes(base: dict[str, Any], edit: Edit) -> list[Change]:
    old, new = _pair(base, edit)
    return list(diff_rubrics(old, new).changes)


def _behavior(data: dict[str, Any], behavior_id: str) -> dict[str, Any]:
    for competency in data["competencies"]:
        for behavior in competency["behaviors"]:
            if behavior["id"] == behavior_id:
                found: dict[str, Any] = behavior
                return found
    raise KeyError(behavior_id)


def test_identical_versions_have_no_changes(base: dict[str, Any]) -> None:
    old, new = _pair(base, lambda data: None)
    diff = diff_rubrics(old, new)
    assert diff.changes == ()
    assert (diff.rubric_id, diff.from_version, diff.to_version) == ("mini", "2", "3")


def test_a_renamed_item_text_is_changed_not_removed_and_added(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        _behavior(data, "planning")["levels"]["novice"]["items"][0]["text"] = "I plan each day."

    assert _changes(base, edit) == [
        Change(
            "changed",
            "item",
            "pl-1",
            "craft > planning > novice",
            (FieldChange("text", "I plan my day.", "I plan each day."),),
        )
    ]


def test_a_renamed_behavior_and_level(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        _behavior(data, "review")["name"] = "Reviewing"
        data["levels"][2]["name"] = "Master"

    changes = _changes(base, edit)
    assert [(c.kind, c.element, c.id) for c in changes] == [
        ("changed", "level", "expert"),
        ("changed", "behavior", "review"),
    ]
    assert changes[0].fields == (FieldChange("name", "Expert", "Master"),)
    assert changes[1].fields == (FieldChange("name", "Review", "Reviewing"),)


def test_a_behavior_moved_to_another_competency(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        review = data["competencies"][0]["behaviors"].pop(1)
        review["description"] = "Reviews work, now on its own."
        data["competencies"].append(
            {
                "id": "quality",
                "name": "Quality",
                "purpose": "Keep it good.",
                "description": "Quality of the work.",
                "behaviors": [review],
            }
        )

    changes = _changes(base, edit)
    assert [(c.kind, c.element, c.id) for c in changes] == [
        ("added", "competency", "quality"),
        ("moved", "behavior", "review"),
    ]
    moved = changes[1]
    assert moved.where == "quality > review"
    assert FieldChange("competency", "craft", "quality") in moved.fields
    assert [f.field for f in moved.fields] == ["competency", "description"]
    # Its items and descriptors kept their ids and texts: nothing else is reported.


def test_sparse_levels_a_behavior_gains_and_loses_a_level(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        review = _behavior(data, "review")
        review["levels"]["practitioner"] = {
            "descriptor": "Reviews on request.",
            "items": [{"id": "rv-2", "text": "I review when asked."}],
        }
        planning = _behavior(data, "planning")
        del planning["levels"]["expert"]
        planning["levels"]["novice"]["actions"] = ["Keep a list.", "Tick it off."]

    changes = _changes(base, edit)
    assert [(c.kind, c.element, c.id) for c in changes] == [
        ("changed", "descriptor", "planning/novice"),
        ("added", "descriptor", "review/practitioner"),
        ("removed", "descriptor", "planning/expert"),
        ("added", "item", "rv-2"),
        ("removed", "item", "pl-3"),
    ]
    assert changes[0].fields == (
        FieldChange("actions", "Keep a daily list.", "Keep a list.; Tick it off."),
    )
    assert changes[4].where == "craft > planning > expert"


def test_an_item_moved_to_another_level(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        planning = _behavior(data, "planning")["levels"]
        item = planning["practitioner"]["items"].pop(1)
        planning["expert"]["items"].append(item)

    changes = _changes(base, edit)
    assert [(c.kind, c.element, c.id) for c in changes] == [("moved", "item", "pl-2b")]
    assert changes[0].fields == (FieldChange("level", "practitioner", "expert"),)


def test_a_removed_behavior_lists_its_items_but_not_its_descriptors(
    base: dict[str, Any],
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["competencies"][0]["behaviors"].pop(1)

    old, new = _pair(base, edit)
    diff = diff_rubrics(old, new)
    assert [(c.kind, c.element, c.id) for c in diff.changes] == [
        ("removed", "behavior", "review"),
        ("removed", "item", "rv-1"),
        ("removed", "item", "rv-3a"),
        ("removed", "item", "rv-3b"),
    ]
    assert diff.of("descriptor") == []
    assert diff.counts == {"added": 0, "removed": 4, "changed": 0, "moved": 0}


def test_rubric_settings_and_competency_summaries(base: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["scoring"]["threshold"] = 2.5
        data["competencies"][0]["levels"]["practitioner"] = {"summary": "Follows it well."}

    changes = _changes(base, edit)
    assert [(c.kind, c.element, c.id) for c in changes] == [
        ("changed", "rubric", "mini"),
        ("changed", "competency", "craft"),
    ]
    assert [f.field for f in changes[0].fields] == ["scoring"]
    assert changes[1].fields == (
        FieldChange("levels.practitioner.summary", "", "Follows it well."),
    )
