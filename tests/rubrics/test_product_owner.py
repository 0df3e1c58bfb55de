"""The shipped Product Owner rubric meets the content bar set for it."""

from __future__ import annotations

from pathlib import Path

from app.rubrics.checks import check_rubric
from app.rubrics.loader import load_rubric_file

RUBRIC = load_rubric_file(Path(__file__).parents[2] / "rubrics" / "product-owner.yaml").rubric


def test_levels_are_the_five_of_the_framework() -> None:
    assert [(lvl.name, lvl.order) for lvl in RUBRIC.ordered_levels] == [
        ("Beginner", 1),
        ("Intermediate", 2),
        ("Advanced", 3),
        ("Guide", 4),
        ("Catalyst", 5),
    ]


def test_product_management_has_its_seven_key_behaviors() -> None:
    pm = next(c for c in RUBRIC.competencies if c.id == "product-management")
    assert pm.name == "Product Management"
    assert [b.name for b in pm.behaviors] == [
        "Vision & Strategy",
        "Outcome Orientation",
        "Market Awareness",
        "Value Management",
        "Stakeholder Alignment",
        "Lifecycle Stewardship",
        "Risk & Opportunity Management",
    ]
    assert set(pm.levels) == {lvl.id for lvl in RUBRIC.levels}


def test_more_competencies_with_four_to_seven_behaviors() -> None:
    others = [c for c in RUBRIC.competencies if c.id != "product-management"]
    assert len(others) >= 2
    for competency in others:
        assert 4 <= len(competency.behaviors) <= 7, competency.id


def test_every_behavior_level_has_descriptor_items_and_two_actions() -> None:
    assert check_rubric(RUBRIC, min_actions=2) == []
    for competency in RUBRIC.competencies:
        for behavior in competency.behaviors:
            assert set(behavior.levels) == {lvl.id for lvl in RUBRIC.levels}, behavior.id
            for level in behavior.levels.values():
                assert level.descriptor and level.items


def test_names_are_unique_between_competencies_and_behaviors() -> None:
    competency_names = {c.name for c in RUBRIC.competencies}
    behavior_names = {b.name for c in RUBRIC.competencies for b in c.behaviors}
    assert not competency_names & behavior_names
