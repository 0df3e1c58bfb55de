"""A rubric as a set of flat tables, and back: the model behind the spreadsheet formats.

XLSX and CSV are only two ways of storing the same tables, so the mapping
lives here once, independent of the file format (docs/rubric-spreadsheet.md).
The columns of each table are driven by the schema's own fields
(:func:`scalar_fields`): a new optional scalar field on a level, behavior or
cell becomes a column without any change here, and an empty cell means
"absent", so optional fields round-trip too.

Reading rows back, with located errors, is :mod:`app.rubrics.tables_import`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from app.rubrics.schemas import (
    Behavior,
    BehaviorLevel,
    Competency,
    CompetencyLevel,
    Item,
    Level,
    Role,
)
from app.rubrics.schemas import Rubric as RubricModel

#: The sheets (CSV files) in the documented order.
SHEETS = (
    "rubric",
    "levels",
    "competencies",
    "competency_levels",
    "behaviors",
    "cells",
    "items",
    "actions",
    "roles",
    "role_targets",
)
#: Columns that place a row under its parent; the rest come from the schema.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "rubric": ("field",),
    "levels": (),
    "competencies": (),
    "competency_levels": ("competency", "level"),
    "behaviors": ("competency",),
    "cells": ("behavior", "level"),
    "items": ("behavior", "level"),
    "actions": ("behavior", "level"),
    "roles": (),
    "role_targets": ("role", "behavior"),
}
#: The schema model whose scalar fields make up the rest of each sheet's columns.
MODEL_OF: dict[str, type[BaseModel]] = {
    "levels": Level,
    "competencies": Competency,
    "competency_levels": CompetencyLevel,
    "behaviors": Behavior,
    "cells": BehaviorLevel,
    "items": Item,
    "roles": Role,
}
#: The one text column of the ``actions`` sheet (actions are plain strings).
ACTION_COLUMN = "action"
#: The rubric sheet is a list of ``field`` / ``value`` pairs, nested fields dotted.
VALUE_COLUMN = "value"
#: The ``roles`` column listing the role's competency ids, ``ROLE_LIST_SEPARATOR``-separated
#: (ids are slugs, so they hold neither commas nor spaces: the list round-trips).
ROLE_COMPETENCIES_COLUMN = "competencies"
ROLE_LIST_SEPARATOR = ", "
#: The one value column of the ``role_targets`` sheet: the target level's id.
TARGET_COLUMN = "level"


class UnsupportedShape(Exception):
    """A schema field the tables cannot carry (a list on the rubric itself, say)."""


def _is_scalar(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _is_scalar(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return all(_is_scalar(arg) for arg in get_args(annotation))
    if origin is Literal:
        return True
    if origin is not None:
        return False
    return not (isinstance(annotation, type) and issubclass(annotation, BaseModel))


def scalar_fields(model: type[BaseModel]) -> list[str]:
    """The fields of ``model`` that fit in one cell, in the schema's order."""
    return [name for name, info in model.model_fields.items() if _is_scalar(info.annotation)]


def columns(sheet: str) -> list[str]:
    """The header row of a sheet: its key columns, then the schema's scalar fields."""
    if sheet == "rubric":
        return ["field", VALUE_COLUMN]
    if sheet == "actions":
        return [*KEY_COLUMNS[sheet], ACTION_COLUMN]
    if sheet == "role_targets":
        return [*KEY_COLUMNS[sheet], TARGET_COLUMN]
    if sheet == "roles":
        return [*scalar_fields(Role), ROLE_COMPETENCIES_COLUMN]
    return [*KEY_COLUMNS[sheet], *scalar_fields(MODEL_OF[sheet])]


@dataclass
class Table:
    """One sheet: a header and rows of plain values (str, int, float, bool or None)."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# ----------------------------------------------------------------------------- export


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        elif isinstance(value, list):
            raise UnsupportedShape(f"the rubric field {name} is a list")
        else:
            yield name, value


def _row(obj: BaseModel, sheet: str, *keys: str) -> list[Any]:
    return [*keys, *(getattr(obj, name) for name in scalar_fields(MODEL_OF[sheet]))]


def rubric_to_tables(rubric: RubricModel) -> dict[str, Table]:
    """Every field of ``rubric`` laid out in the :data:`SHEETS`; lossless by construction."""
    tables = {sheet: Table(columns(sheet)) for sheet in SHEETS}
    top = rubric.model_dump(exclude={"levels", "competencies", "roles"})
    tables["rubric"].rows = [[name, value] for name, value in _flatten(top)]
    tables["levels"].rows = [_row(level, "levels") for level in rubric.levels]
    for competency in rubric.competencies:
        tables["competencies"].rows.append(_row(competency, "competencies"))
        for level_id, summary in competency.levels.items():
            tables["competency_levels"].rows.append(
                _row(summary, "competency_levels", competency.id, level_id)
            )
        for behavior in competency.behaviors:
            tables["behaviors"].rows.append(_row(behavior, "behaviors", competency.id))
            for level_id, cell in behavior.levels.items():
                tables["cells"].rows.append(_row(cell, "cells", behavior.id, level_id))
                tables["items"].rows += [
                    _row(item, "items", behavior.id, level_id) for item in cell.items
                ]
                tables["actions"].rows += [[behavior.id, level_id, a] for a in cell.actions]
    for role in rubric.roles:
        tables["roles"].rows.append(
            [*_row(role, "roles"), ROLE_LIST_SEPARATOR.join(role.competencies)]
        )
        tables["role_targets"].rows += [
            [role.id, behavior_id, level_id] for behavior_id, level_id in role.targets.items()
        ]
    return tables
