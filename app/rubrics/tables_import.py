"""Rows read from a spreadsheet back into a validated rubric, every problem located.

Pydantic and :func:`app.rubrics.checks.check_rubric` report paths into the
document (``competencies[0].behaviors[1].levels.novice.items[0].id``); every
object built from a row registers its path, and a problem is mapped back to
the deepest registered path it falls under, giving sheet, row and column.
Messages never repeat the submitted value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from app.rubrics.checks import check_rubric
from app.rubrics.schemas import Rubric as RubricModel
from app.rubrics.tables import (
    ACTION_COLUMN,
    MODEL_OF,
    ROLE_COMPETENCIES_COLUMN,
    TARGET_COLUMN,
    VALUE_COLUMN,
    columns,
    scalar_fields,
)


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One thing wrong in an uploaded spreadsheet, located for its author."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class SpreadsheetError(Exception):
    """A spreadsheet that cannot become a rubric; ``problems`` says where and why."""

    def __init__(self, source: str, problems: list[CellProblem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(f"{self.source}: {problem}" for problem in self.problems)


@dataclass(frozen=True, slots=True)
class RawRow:
    """A data row as read from a file: its 1-based row number and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Origin:
    sheet: str
    row: int | None
    columns: tuple[str, ...]
    default_column: str | None = None


def cell_text(value: Any) -> str | None:
    """A cell as text for validation (Pydantic parses numbers and booleans from text).

    Empty means absent, so an optional field left blank takes its default.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _path_of(path: str) -> tuple[str | int, ...]:
    return tuple(
        int(index) if index else name for index, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", path)
    )


#: Where a part of the document sits (its path) and the dict being built for it.
_Placed = tuple[tuple[str | int, ...], dict[str, Any]]

_QUOTED = re.compile(r" ?'[^']*'")


class _Builder:
    """Assembles the rubric document from rows, remembering where each part came from."""

    def __init__(self, sheets: dict[str, list[RawRow]]):
        self.sheets = sheets
        self.problems: list[CellProblem] = []
        self.origins: dict[tuple[str | int, ...], _Origin] = {}

    def fail(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(CellProblem(sheet, row, column, message))

    def _fields(self, sheet: str, row: RawRow) -> dict[str, Any]:
        names = scalar_fields(MODEL_OF[sheet])
        return {name: text for name in names if (text := cell_text(row.cells.get(name)))}

    def _key(self, sheet: str, row: RawRow, column: str) -> str | None:
        text = cell_text(row.cells.get(column))
        if text is None:
            self.fail(sheet, row.number, column, "required: which row this one belongs to")
            return None
        return text.strip()

    def _register(self, path: tuple[str | int, ...], sheet: str, row: int, default: str) -> None:
        self.origins[path] = _Origin(sheet, row, tuple(columns(sheet)), default)

    def build(self) -> dict[str, Any]:
        document = self._rubric_fields()
        document["levels"] = []
        for i, row in enumerate(self.sheets.get("levels", [])):
            document["levels"].append(self._fields("levels", row))
            self._register(("levels", i), "levels", row.number, "id")
        document["competencies"] = []
        competencies: dict[str, _Placed] = {}
        for i, row in enumerate(self.sheets.get("competencies", [])):
            data = {**self._fields("competencies", row), "levels": {}, "behaviors": []}
            document["competencies"].append(data)
            self._place("competencies", row, ("competencies", i), data, competencies, "competency")
        self._competency_levels(competencies)
        behaviors = self._behaviors(competencies)
        cells = self._cells(behaviors)
        self._leaves(cells)
        if self.sheets.get("roles") or self.sheets.get("role_targets"):
            document["roles"] = self._roles(behaviors)
        return document

    def _place(
        self,
        sheet: str,
        row: RawRow,
        path: tuple[str | int, ...],
        data: dict[str, Any],
        by_id: dict[str, _Placed],
        what: str,
    ) -> None:
        """Register a top-level row's path and index it by its id (a repeated id fails)."""
        self._register(path, sheet, row.number, "id")
        ident = str(data.get("id", "")).strip()
        if ident in by_id:
            self.fail(sheet, row.number, "id", f"duplicate {what} id")
        elif ident:
            by_id[ident] = (path, data)

    def _roles(self, behaviors: dict[str, _Placed]) -> list[dict[str, Any]]:
        """The ``roles`` rows, each with its competency list and its ``role_targets`` rows."""
        roles: list[dict[str, Any]] = []
        by_id: dict[str, _Placed] = {}
        for i, row in enumerate(self.sheets.get("roles", [])):
            listed = cell_text(row.cells.get(ROLE_COMPETENCIES_COLUMN)) or ""
            data = {
                **self._fields("roles", row),
                "competencies": [part for part in re.split(r"[,\s]+", listed) if part],
                "targets": {},
            }
            roles.append(data)
            self._place("roles", row, ("roles", i), data, by_id, "role")
        for row in self.sheets.get("role_targets", []):
            role, behavior = (self._key("role_targets", row, c) for c in ("role", "behavior"))
            if role is None or behavior is None:
                continue
            if role not in by_id:
                self.fail("role_targets", row.number, "role", "no such role")
            elif behavior not in behaviors:
                self.fail("role_targets", row.number, "behavior", "no such behavior")
            elif behavior in by_id[role][1]["targets"]:
                self.fail(
                    "role_targets", row.number, "behavior", "this role and behavior appear twice"
                )
            else:
                path, data = by_id[role]
                data["targets"][behavior] = cell_text(row.cells.get(TARGET_COLUMN))
                self._register(
                    (*path, "targets", behavior), "role_targets", row.number, TARGET_COLUMN
                )
        return roles

    def _rubric_fields(self) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for row in self.sheets.get("rubric", []):
            name = cell_text(row.cells.get("field"))
            if name is None:
                self.fail("rubric", row.number, "field", "required: the name of the field")
                continue
            path = tuple(part.strip() for part in name.strip().split("."))
            target = document
            for part in path[:-1]:
                child = target.setdefault(part, {})
                if not isinstance(child, dict):
                    self.fail("rubric", row.number, "field", "clashes with an earlier field")
                    break
                target = child
            else:
                if path[-1] in target:
                    self.fail("rubric", row.number, "field", "this field appears twice")
                    continue
                text = cell_text(row.cells.get(VALUE_COLUMN))
                if text is not None:
                    target[path[-1]] = text
                key = tuple(int(p) if p.isdigit() else p for p in path)
                self.origins[key] = _Origin("rubric", row.number, (VALUE_COLUMN,), VALUE_COLUMN)
        return document

    def _keyed_rows(
        self, sheet: str, parent_column: str, parents: dict[str, _Placed]
    ) -> Iterator[tuple[RawRow, str, _Placed, str]]:
        """Rows of a (parent, level) sheet whose parent exists and whose level is new to it."""
        for row in self.sheets.get(sheet, []):
            parent, level = (self._key(sheet, row, c) for c in (parent_column, "level"))
            if parent is None or level is None:
                continue
            if parent not in parents:
                self.fail(sheet, row.number, parent_column, f"no such {parent_column}")
                continue
            placed = parents[parent]
            if level in placed[1]["levels"]:
                self.fail(
                    sheet, row.number, "level", f"this {parent_column} and level appear twice"
                )
                continue
            yield row, parent, placed, level

    def _competency_levels(self, competencies: dict[str, _Placed]) -> None:
        for row, _parent, (path, data), level in self._keyed_rows(
            "competency_levels", "competency", competencies
        ):
            data["levels"][level] = self._fields("competency_levels", row)
            self._register((*path, "levels", level), "competency_levels", row.number, "level")

    def _behaviors(self, competencies: dict[str, _Placed]) -> dict[str, _Placed]:
        behaviors: dict[str, _Placed] = {}
        for row in self.sheets.get("behaviors", []):
            parent = self._key("behaviors", row, "competency")
            if parent is None:
                continue
            if parent not in competencies:
                self.fail("behaviors", row.number, "competency", "no such competency")
                continue
            competency_path, competency = competencies[parent]
            data = {**self._fields("behaviors", row), "levels": {}}
            path = (*competency_path, "behaviors", len(competency["behaviors"]))
            competency["behaviors"].append(data)
            self._register(path, "behaviors", row.number, "id")
            ident = str(data.get("id", "")).strip()
            if ident in behaviors:
                self.fail("behaviors", row.number, "id", "duplicate behavior id")
            elif ident:
                behaviors[ident] = (path, data)
        return behaviors

    def _cells(self, behaviors: dict[str, _Placed]) -> dict[tuple[str, str], _Placed]:
        cells: dict[tuple[str, str], _Placed] = {}
        for row, parent, (behavior_path, behavior), level in self._keyed_rows(
            "cells", "behavior", behaviors
        ):
            data = {**self._fields("cells", row), "items": [], "actions": []}
            behavior["levels"][level] = data
            path = (*behavior_path, "levels", level)
            self._register(path, "cells", row.number, "level")
            cells[(parent, level)] = (path, data)
        return cells

    def _leaves(self, cells: dict[tuple[str, str], _Placed]) -> None:
        for sheet in ("items", "actions"):
            for row in self.sheets.get(sheet, []):
                parent, level = (self._key(sheet, row, c) for c in ("behavior", "level"))
                if parent is None or level is None:
                    continue
                if (parent, level) not in cells:
                    self.fail(sheet, row.number, "level", "no row in sheet 'cells' for it")
                    continue
                path, cell = cells[(parent, level)]
                if sheet == "items":
                    self._register((*path, "items", len(cell["items"])), sheet, row.number, "id")
                    cell["items"].append(self._fields("items", row))
                else:
                    self._register(
                        (*path, "actions", len(cell["actions"])), sheet, row.number, ACTION_COLUMN
                    )
                    cell["actions"].append(cell_text(row.cells.get(ACTION_COLUMN)))

    def locate(self, loc: Iterable[str | int], message: str, *, key_error: bool = False) -> None:
        path = tuple(loc)
        for cut in range(len(path), -1, -1):
            origin = self.origins.get(path[:cut])
            if origin is None:
                continue
            rest = path[cut:]
            if rest and isinstance(rest[0], str) and rest[0] in origin.columns:
                column: str | None = rest[0]
                rest = rest[1:]
            elif origin.sheet == "rubric" and key_error:
                column = "field"
            else:
                column = origin.default_column if not rest else None
            prefix = ".".join(str(part) for part in rest)
            self.fail(
                origin.sheet, origin.row, column, f"{prefix}: {message}" if prefix else message
            )
            return
        where = ".".join(str(part) for part in path)
        self.problems.append(
            CellProblem("rubric", None, None, f"{where}: {message}" if where else message)
        )


def tables_to_rubric(sheets: dict[str, list[RawRow]], *, source: str) -> RubricModel:
    """Rebuild and fully validate a rubric from its rows; every problem located at once."""
    builder = _Builder(sheets)
    document = builder.build()
    if builder.problems:
        raise SpreadsheetError(source, builder.problems)
    try:
        rubric = RubricModel.model_validate(document)
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            builder.locate(err["loc"], err["msg"], key_error=err["type"] == "extra_forbidden")
        raise SpreadsheetError(source, builder.problems) from None
    for problem in check_rubric(rubric):
        # The checks quote the offending id; a located problem needs no echo of it.
        builder.locate(_path_of(problem.path), _QUOTED.sub("", problem.message))
    if builder.problems:
        raise SpreadsheetError(source, builder.problems)
    return rubric
