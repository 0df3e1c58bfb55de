"""CASE 1.1 packages: schema-valid export, stable identifiers, import with a report."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.rubrics.case import NAMESPACE, case_id, document_id, export_package, validate_package
from app.rubrics.case_import import CasePackageError, import_package, read_package
from app.rubrics.loader import content_hash, parse_rubric
from app.rubrics.schemas import Rubric
from tests.fixtures.json_trees import without_key

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _export(rubric: Rubric, when: datetime = NOW) -> dict[str, Any]:
    return export_package(rubric, base_url="https://stepwise.test/", changed=when)


def _identifiers(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["identifier"]} if "identifier" in value else set()
        return found.union(*(_identifiers(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_identifiers(v) for v in value))
    return set()


def test_the_product_owner_export_is_valid_case_1_1(po_rubric: Rubric) -> None:
    package = _export(po_rubric)
    assert validate_package(package) == []
    behaviors = [b for c in po_rubric.competencies for b in c.behaviors]
    types = [item["CFItemType"] for item in package["CFItems"]]
    assert types.count("Competency") == len(po_rubric.competencies)
    assert types.count("Key behavior") == len(behaviors)
    assert types.count("Questionnaire item") == po_rubric.item_count
    assert len(package["CFAssociations"]) == len(package["CFItems"])
    assert {a["associationType"] for a in package["CFAssociations"]} == {"isChildOf"}
    (cf_rubric,) = package["CFRubrics"]
    criteria = cf_rubric["CFRubricCriteria"]
    assert [c["description"] for c in criteria] == [b.name for b in behaviors]
    first = criteria[0]["CFRubricCriterionLevels"]
    assert [level["quality"] for level in first] == [level.name for level in po_rubric.levels]
    cell = behaviors[0].levels[po_rubric.ordered_levels[0].id]
    assert first[0]["description"] == cell.descriptor
    assert first[0]["feedback"].splitlines() == cell.actions
    assert package["CFDocument"]["uri"] == (
        f"https://stepwise.test/ims/case/v1p1/CFPackages/{document_id(po_rubric.id)}"
    )


def test_sparse_levels_give_only_the_defined_criterion_levels(mini_rubric: Rubric) -> None:
    package = _export(mini_rubric)
    assert validate_package(package) == []
    for behavior, criterion in zip(
        mini_rubric.competencies[0].behaviors,
        package["CFRubrics"][0]["CFRubricCriteria"],
        strict=True,
    ):
        quality = [level["quality"] for level in criterion["CFRubricCriterionLevels"]]
        assert quality == [level.name for level in mini_rubric.behavior_levels(behavior)]


def test_identifiers_are_stable_and_derived_from_the_rubric(po_rubric: Rubric) -> None:
    first = _identifiers(_export(po_rubric))
    assert first == _identifiers(_export(po_rubric, NOW + timedelta(days=30)))
    assert document_id("product-owner") == str(uuid.uuid5(NAMESPACE, "product-owner:document:"))
    assert case_id("product-owner", "behavior", "vision-strategy") in first
    other = po_rubric.model_copy(update={"id": "another-framework"})
    assert first.isdisjoint(_identifiers(_export(other)))


def test_our_own_package_imports_back_without_loss(po_rubric: Rubric) -> None:
    data = json.dumps(_export(po_rubric)).encode()
    imported = import_package(read_package(data, source="po.json"))
    assert imported.report == []
    assert content_hash(parse_rubric(imported.document)) == content_hash(po_rubric)


def test_a_foreign_package_imports_with_a_report_of_what_case_lacks(mini_rubric: Rubric) -> None:
    package = without_key(_export(mini_rubric), "extensions")
    package["CFItems"] = [i for i in package["CFItems"] if i["CFItemType"] != "Questionnaire item"]
    package = {"CFPackage": package}  # some providers wrap it
    imported = import_package(read_package(json.dumps(package).encode(), source="f.json"))
    rubric = parse_rubric(imported.document)
    report = "\n".join(imported.report)
    cells = sum(len(b.levels) for c in mini_rubric.competencies for b in c.behaviors)
    assert f"items: CASE has no questionnaire items; {cells} behavior level(s)" in report
    assert "levels: CASE has no level ladder" in report and "scale: CASE has no scale" in report
    assert rubric.item_count == cells
    assert [level.name for level in rubric.ordered_levels] == [
        level.name for level in mini_rubric.ordered_levels
    ]
    behavior = rubric.competencies[0].behaviors[0]
    original = mini_rubric.competencies[0].behaviors[0]
    assert (behavior.id, behavior.name) == (original.id, original.name)
    assert [c.descriptor for c in behavior.levels.values()] == [
        c.descriptor for c in original.levels.values()
    ]
    # Actions travel in the criterion level's feedback.
    assert [c.actions for c in behavior.levels.values()] == [
        c.actions for c in original.levels.values()
    ]


def test_an_invalid_package_is_refused_with_located_problems(mini_rubric: Rubric) -> None:
    package = _export(mini_rubric)
    package["CFDocument"]["identifier"] = "secret-not-a-uuid"
    del package["CFItems"][0]["fullStatement"]
    with pytest.raises(CasePackageError) as caught:
        read_package(json.dumps(package).encode(), source="bad.json")
    text = caught.value.render()
    assert "bad.json: CFDocument.identifier: breaks the schema's 'format' rule" in text
    assert "bad.json: CFItems[0]: breaks the schema's 'required' rule" in text
    assert "secret-not-a-uuid" not in text
    with pytest.raises(CasePackageError) as caught:
        read_package(b"{not json", source="bad.json")
    assert caught.value.problems == ["line 1, column 2: not valid JSON"]
