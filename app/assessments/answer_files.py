"""Reading answer files for ``stepwise score``: JSON for one person, CSV for many.

* **JSON**: one object ``{item_id: value}``; values are integers on the scale,
  ``"n/a"`` where allowed, or ``null`` (unanswered) -- the same values the API
  takes.
* **CSV**: a header row of item ids, optionally with a first column named
  ``respondent``; one respondent per row. Cells are read by
  :func:`app.scoring.parse_response_value` (a whole number, ``n/a``/``NA``, or
  empty for no answer).

Every problem is collected and reported at once, each naming the file and
where in it: ``answers.csv: row 3 (respondent ana), column pm-vs-1a: 7 is
outside the scale 1..5``. Rows count like a spreadsheet's: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.rubrics.schemas import Rubric
from app.scoring import ResponseValue, parse_response_value, validate_responses

RESPONDENT = "respondent"


class AnswerFileError(Exception):
    """An answer file that cannot be scored; ``problems`` are complete, located lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class AnswerSet:
    """The answers of one respondent, ready for the engine."""

    responses: dict[str, ResponseValue | None]
    #: The CSV row (header = 1); ``None`` for a JSON file.
    row: int | None = None
    respondent: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerFile:
    sets: list[AnswerSet]
    #: True for CSV: the output is a list, one entry per row.
    tabular: bool
    has_respondent: bool = False


def read_answer_file(path: Path, rubric: Rubric) -> AnswerFile:
    """Read and check an answer file against ``rubric``.

    Raises :class:`AnswerFileError` listing every problem; nothing is half-read.
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerFileError([f"{name}: cannot read the file: {exc}"]) from None
    if path.suffix.lower() == ".json" or (
        path.suffix.lower() != ".csv" and text.lstrip().startswith("{")
    ):
        return AnswerFile(sets=[_read_json(name, text, rubric)], tabular=False)
    return _read_csv(name, text, rubric)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key} appears twice")
        result[key] = value
    return result


def _read_json(name: str, text: str, rubric: Rubric) -> AnswerSet:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise AnswerFileError(
            [f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
        ) from None
    except ValueError as exc:  # a duplicate key
        raise AnswerFileError([f"{name}: {exc}"]) from None
    if not isinstance(data, dict):
        raise AnswerFileError(
            [f"{name}: expected a JSON object {{item_id: value}}, got a {type(data).__name__}"]
        )
    problems = validate_responses(rubric, data)
    if problems:
        raise AnswerFileError([f"{name}: key {p.item_id}: {p.message}" for p in problems])
    return AnswerSet(responses=data)


def _read_csv(name: str, text: str, rubric: Rubric) -> AnswerFile:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise AnswerFileError([f"{name}: line {reader.line_num}: not valid CSV: {exc}"]) from None
    numbered = [(n, row) for n, row in enumerate(records, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise AnswerFileError([f"{name}: the file is empty; expected a header row of item ids"])
    header_row, header = numbered[0]
    columns = [cell.strip() for cell in header]
    has_respondent = columns[0].lower() == RESPONDENT
    first_item = 1 if has_respondent else 0
    problems = _check_header(f"{name}: row {header_row}", columns[first_item:], rubric)
    rows = numbered[1:]
    if not rows:
        problems.append(f"{name}: no answers below the header row")
    sets: list[AnswerSet] = []
    for number, cells in rows:
        respondent = (cells[0].strip() or None) if has_respondent else None
        where = f"{name}: row {number}" + (f" (respondent {respondent})" if respondent else "")
        if len(cells) != len(columns):
            problems.append(f"{where}: has {len(cells)} cells but the header has {len(columns)}")
            continue
        responses: dict[str, ResponseValue | None] = {}
        found: dict[str, str] = {}  # column -> problem, reported in column order
        for column, cell in zip(columns[first_item:], cells[first_item:], strict=True):
            if column not in rubric.items_by_id:
                continue  # reported once, on the header
            try:
                responses[column] = parse_response_value(cell)
            except ValueError as exc:
                found[column] = str(exc)
        found |= {p.item_id: p.message for p in validate_responses(rubric, responses)}
        problems += [
            f"{where}, column {column}: {found[column]}"
            for column in dict.fromkeys(columns)
            if column in found
        ]
        sets.append(AnswerSet(responses=responses, row=number, respondent=respondent))
    if problems:
        raise AnswerFileError(problems)
    return AnswerFile(sets=sets, tabular=True, has_respondent=has_respondent)


def _check_header(where: str, columns: list[str], rubric: Rubric) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for index, column in enumerate(columns, start=1):
        if not column:
            problems.append(f"{where}: column {index} has no item id")
        elif column in seen:
            problems.append(f"{where}, column {column}: appears twice")
        elif column not in rubric.items_by_id:
            problems.append(f"{where}, column {column}: unknown item id for this rubric")
        seen.add(column)
    if not columns:
        problems.append(f"{where}: no item columns")
    return problems
