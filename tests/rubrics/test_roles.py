"""Role profiles in the rubric file: located checks, the content hash, the gap rules, carriage."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from app.rubrics.loader import RubricFileError, content_hash, load_rubric_file, parse_rubric
from app.rubrics.roles import limited_to_role, role_gaps
from app.rubrics.schemas import Role, Rubric
from app.rubrics.spreadsheet import export_xlsx, import_xlsx
from app.rubrics.tables import rubric_to_tables
from app.rubrics.tables_import import RawRow, SpreadsheetError, tables_to_rubric
from tests.fixtures.paths import FIXTURE_RUBRICS

MINI = load_rubric_file(FIXTURE_RUBRICS / "mini.yaml").rubric


def _document(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(MINI.model_dump(exclude_none=True))
    del document["roles"]
    document.update(changes)
    return document


def _problems(roles: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(RubricFileError) as info:
        parse_rubric(_document(roles=roles))
    return [str(p) for p in info.value.problems]


LEAD = {"id": "lead", "title": "Lead", "competencies": ["craft"]}


def test_unknown_competency_behavior_and_level_are_located() -> None:
    problems = _problems(
        [
            {**LEAD, "competencies": ["craft", "sales", "craft"]},
            {**LEAD, "id": "other", "targets": {"pitching": "novice", "planning": "guru"}},
            {**LEAD, "id": "third", "targets": {"review": "practitioner"}},
        ]
    )
    assert problems == [
        "roles[0].competencies[2]: listed twice",
        "roles[0].competencies[1]: unknown competency 'sales' (the rubric's are: craft)",
        "roles[1].targets.pitching: unknown behavior 'pitching' "
        "(not a behavior of the role's competencies)",
        "roles[1].targets.planning: unknown level 'guru' "
        "(the rubric's levels are: novice, practitioner, expert)",
        "roles[2].targets.review: the behavior does not describe level 'practitioner'",
    ]


def test_structural_problems_of_a_role_are_located() -> None:
    problems = _problems([{"id": "Bad Id", "title": " ", "competencies": [], "extra": 1}])
    assert {p.split(":")[0] for p in problems} == {
        "roles[0].id",
        "roles[0].title",
        "roles[0].competencies",
        "roles[0].extra",
    }


def test_duplicate_role_ids_are_located() -> None:
    problems = _problems([LEAD, LEAD])
    assert problems == [
        "roles[0].id: duplicate role id 'lead'",
        "roles[1].id: duplicate role id 'lead'",
    ]


def test_roles_change_the_hash_and_no_roles_keeps_the_old_one() -> None:
    with_role = parse_rubric(_document(roles=[LEAD]))
    assert content_hash(with_role) != content_hash(MINI)
    # The hash of a rubric without roles is the one it had before roles existed.
    old = MINI.model_dump(mode="json")
    del old["roles"]
    canonical = json.dumps(old, sort_keys=True, separators=(",", ":"))
    assert content_hash(MINI) == hashlib.sha256(canonical.encode()).hexdigest()


# --- the gap rules (hand-computed) ----------------------------------------------------


ROLE = Role(
    id="lead",
    title="Lead",
    competencies=["craft"],
    targets={"planning": "practitioner", "review": "expert"},
)


def test_the_gap_is_counted_in_levels_above_at_below() -> None:
    # planning: expert (3) vs target practitioner (2) -> above by 1;
    # review: novice (1) vs target expert (3) -> below by 2.
    gaps = role_gaps(MINI, ROLE, {"planning": 3, "review": 1})
    assert [(g.behavior_id, g.status, g.levels, g.current, g.target) for g in gaps] == [
        ("planning", "above", 1, "Expert", "Practitioner"),
        ("review", "below", -2, "Novice", "Expert"),
    ]
    assert [g.label for g in gaps] == ["Above target by 1 level", "Below target by 2 levels"]
    at = role_gaps(MINI, ROLE, {"planning": 2, "review": 0})
    assert [(g.status, g.levels, g.label) for g in at] == [
        ("at", 0, "At target"),
        ("below", -3, "Below target by 3 levels"),  # "Not yet" is step 0
    ]
    assert at[1].current == "Not yet"


def test_not_assessed_and_no_target() -> None:
    role = Role(id="r", title="R", competencies=["craft"], targets={"review": "novice"})
    gaps = role_gaps(MINI, role, {"planning": 2})
    assert [(g.status, g.levels, g.label) for g in gaps] == [
        ("no_target", None, "No target"),
        ("not_assessed", None, "Not assessed"),
    ]


def test_levels_with_holes_in_their_orders_count_as_steps() -> None:
    document = _document()
    document["levels"][2]["order"] = 7  # novice 1, practitioner 2, expert 7
    rubric = parse_rubric(document)
    (planning, review) = role_gaps(rubric, ROLE, {"planning": 7, "review": 2})
    assert (planning.status, planning.levels) == ("above", 1)
    assert (review.status, review.levels) == ("below", -1)


def test_limiting_to_a_role_keeps_only_its_competencies() -> None:
    po = load_rubric_file(FIXTURE_RUBRICS.parents[2] / "rubrics" / "product-owner.yaml").rubric
    role = po.roles_by_id["product-owner"]
    limited = limited_to_role(po, role)
    assert [c.id for c in limited.competencies] == role.competencies
    assert limited.item_count < po.item_count
    assert limited.item_count == sum(
        len(cell.items)
        for c in po.competencies
        if c.id in role.competencies
        for b in c.behaviors
        for cell in b.levels.values()
    )
    assert po.item_count == 230  # the whole rubric is untouched


def test_the_shipped_rubric_has_three_roles_with_targets_on_every_behavior() -> None:
    po = load_rubric_file(FIXTURE_RUBRICS.parents[2] / "rubrics" / "product-owner.yaml").rubric
    assert [r.title for r in po.roles] == [
        "Product Owner",
        "Senior Product Owner",
        "Head of Product",
    ]
    for role in po.roles:
        behaviors = {
            b.id for c in po.competencies if c.id in role.competencies for b in c.behaviors
        }
        assert set(role.targets) == behaviors, role.id


# --- carriage ------------------------------------------------------------------------------


def test_roles_go_through_the_spreadsheet(po_rubric: Rubric) -> None:
    tables = rubric_to_tables(po_rubric)
    assert tables["roles"].columns == ["id", "title", "description", "competencies"]
    assert tables["roles"].rows[0][3] == "product-management, driving-alignment, holistic-ownership"
    assert tables["role_targets"].rows[0] == ["product-owner", "vision-strategy", "intermediate"]
    back = import_xlsx(export_xlsx(po_rubric), source="po.xlsx")
    assert back.roles == po_rubric.roles
    assert content_hash(back) == content_hash(po_rubric)


def _sheets(rubric: Rubric) -> dict[str, list[RawRow]]:
    tables = rubric_to_tables(rubric)
    return {
        name: [
            RawRow(i + 2, dict(zip(t.columns, row, strict=True))) for i, row in enumerate(t.rows)
        ]
        for name, t in tables.items()
    }


def test_spreadsheet_role_errors_name_sheet_row_and_column() -> None:
    rubric = parse_rubric(_document(roles=[{**LEAD, "targets": {"planning": "novice"}}]))
    sheets = _sheets(rubric)
    sheets["role_targets"] += [
        RawRow(3, {"role": "nobody", "behavior": "planning", "level": "novice"}),
        RawRow(4, {"role": "lead", "behavior": "juggling", "level": "novice"}),
        RawRow(5, {"role": "lead", "behavior": "planning", "level": "expert"}),
    ]
    sheets["roles"][0].cells["competencies"] = "craft, sales"
    with pytest.raises(SpreadsheetError) as info:
        tables_to_rubric(sheets, source="x.xlsx")
    assert [str(p) for p in info.value.problems] == [
        "sheet 'role_targets', row 3, column 'role': no such role",
        "sheet 'role_targets', row 4, column 'behavior': no such behavior",
        "sheet 'role_targets', row 5, column 'behavior': this role and behavior appear twice",
    ]
    del sheets["role_targets"][1:]
    with pytest.raises(SpreadsheetError) as info:
        tables_to_rubric(sheets, source="x.xlsx")
    assert [str(p) for p in info.value.problems] == [
        "sheet 'roles', row 2, column 'competencies': 1: unknown competency "
        "(the rubric's are: craft)"
    ]
    sheets["roles"][0].cells["competencies"] = "craft"
    sheets["role_targets"][0].cells["level"] = "guru"
    with pytest.raises(SpreadsheetError) as info:
        tables_to_rubric(sheets, source="x.xlsx")
    assert [str(p) for p in info.value.problems] == [
        "sheet 'role_targets', row 2, column 'level': unknown level "
        "(the rubric's levels are: novice, practitioner, expert)"
    ]
