"""Reading answer files for ``stepwise score``: JSON for one person, CSV for many.

* **JSON**: one object ``{item_id: value}``; values are integers on the scale,
  ``"n/a"`` where allowed, or ``null`` (unanswered) -- the same values the API
  takes. At most :data:`MAX_JSON_ANSWER_BYTES`.
* **CSV**: a header row of item ids, optionally with a first column named
  ``respondent``; one respondent per row. Cells are read by
  :func:`app.scoring.parse_response_value` (a whole number, ``n/a``/``NA``, or
  empty for no answer).

A CSV file is **streamed**: :class:`CsvAnswers` checks the header on opening
and then yields one row at a time, so a file of any number of rows is scored
in the memory of one row (200,000 rows once took 12 GB and died). A row is
at most :data:`MAX_CSV_ROW_BYTES` bytes.

Every problem is located: ``answers.csv: row 3 (respondent ana), column
pm-vs-1a: 7 is outside the scale 1..5``. Rows count like a spreadsheet's: the
header is row 1. A bad row does not stop the reading: every row is checked so
that one run reports every problem (what the command then writes is its
business: see ``app/assessments/cli.py``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from app.rubrics.schemas import Rubric
from app.scoring import ResponseValue, parse_response_value, validate_responses

RESPONDENT = "respondent"
#: Largest JSON answer file (one respondent): far above any rubric's answers.
MAX_JSON_ANSWER_BYTES = 16 * 1024 * 1024
#: Longest CSV row (a product-owner row is about 500 bytes).
MAX_CSV_ROW_BYTES = 1024 * 1024
#: How far :func:`is_json_file` looks for the first non-blank character.
_SNIFF_CHARS = 64 * 1024


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
class CsvRow:
    """One CSV row as read: its answers, or the located problems that stop it being scored."""

    answers: AnswerSet | None
    problems: list[str] = field(default_factory=list)


def _open_text(path: Path) -> IO[str]:
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise AnswerFileError([f"{path}: cannot read the file: {exc}"]) from None


def is_json_file(path: Path) -> bool:
    """``.json``, or not ``.csv`` and starting with ``{`` (after blanks)."""
    suffix = path.suffix.lower()
    if suffix in {".json", ".csv"}:
        return suffix == ".json"
    try:
        with _open_text(path) as handle:
            start = handle.read(_SNIFF_CHARS)
    except UnicodeDecodeError:
        return False  # reported by the CSV reader, with its line
    except OSError as exc:
        raise AnswerFileError([f"{path}: cannot read the file: {exc}"]) from None
    return start.lstrip().startswith("{")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key} appears twice")
        result[key] = value
    return result


def read_json_answers(path: Path, rubric: Rubric) -> AnswerSet:
    """Read and check a JSON answer file; :class:`AnswerFileError` lists every problem."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_JSON_ANSWER_BYTES + 1)
    except OSError as exc:
        raise AnswerFileError([f"{name}: cannot read the file: {exc}"]) from None
    if len(raw) > MAX_JSON_ANSWER_BYTES:
        raise AnswerFileError(
            [f"{name}: the file is larger than {MAX_JSON_ANSWER_BYTES:,} bytes (one respondent)"]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswerFileError([f"{name}: cannot read the file: {exc}"]) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise AnswerFileError(
            [f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
        ) from None
    except ValueError as exc:  # a duplicate key, or an integer of over 4300 digits
        raise AnswerFileError([f"{name}: {str(exc).split(';')[0]}"]) from None
    except RecursionError:
        raise AnswerFileError([f"{name}: not valid JSON: nested too deeply"]) from None
    if not isinstance(data, dict):
        raise AnswerFileError(
            [f"{name}: expected a JSON object {{item_id: value}}, got a {type(data).__name__}"]
        )
    problems = validate_responses(rubric, data)
    if problems:
        raise AnswerFileError([f"{name}: key {p.item_id}: {p.message}" for p in problems])
    return AnswerSet(responses=data)


class _Unreadable(Exception):
    """The rest of a CSV file cannot be read (bad bytes, an over-long row)."""


class _BoundedLines:
    """The file's lines for :mod:`csv`, refusing a row longer than MAX_CSV_ROW_BYTES.

    Lines are read as bytes and decoded one by one, so a bad byte is located
    at its line. ``row_bytes`` counts since the consumer last reset it (once
    per row), so a quoted cell spanning many lines is bounded too.
    """

    def __init__(self, handle: IO[bytes], name: str):
        self.handle = handle
        self.name = name
        self.line = 0
        self.row_bytes = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        data = self.handle.readline(MAX_CSV_ROW_BYTES + 1)
        if not data:
            raise StopIteration
        self.line += 1
        self.row_bytes += len(data)
        if self.row_bytes > MAX_CSV_ROW_BYTES:
            raise _Unreadable(
                f"{self.name}: line {self.line}: a row is longer than {MAX_CSV_ROW_BYTES:,} bytes"
            )
        if self.line == 1:
            data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark (Excel)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Unreadable(
                f"{self.name}: line {self.line}, byte {exc.start + 1}: "
                "cannot read the file: not UTF-8"
            ) from None


#: The cells nearly every file is made of, read once through
#: :func:`parse_response_value` (the one set of rules): a dict look-up per cell
#: instead of strip, lower and a regular expression (``stepwise score`` reads
#: ~230 cells a row; docs/benchmarks.md). Anything else goes the long way.
_COMMON_CELLS: dict[str, ResponseValue | None] = {
    text: parse_response_value(text)
    for text in ["", "n/a", "N/A", "na", "NA", *(str(n) for n in range(-10, 11))]
}


class CsvAnswers:
    """An open CSV answer file: the header is read on opening, rows on demand.

    Use as a context manager. ``header_problems`` (unknown, duplicate or empty
    item ids) do not stop :meth:`rows`, so a single run reports everything.
    A file without any header raises :class:`AnswerFileError` on opening.
    """

    def __init__(self, path: Path, rubric: Rubric):
        self.name = str(path)
        self.rubric = rubric
        try:
            self._handle = path.open("rb")
        except OSError as exc:
            raise AnswerFileError([f"{path}: cannot read the file: {exc}"]) from None
        self._lines = _BoundedLines(self._handle, self.name)
        self._reader = csv.reader(self._lines)
        self._number = 0
        try:
            header = self._next_record()
        except BaseException:
            self.close()
            raise
        if header is None:
            self.close()
            raise AnswerFileError(
                [f"{self.name}: the file is empty; expected a header row of item ids"]
            )
        self.header_row, cells = header
        self.columns = [cell.strip() for cell in cells]
        self.has_respondent = self.columns[0].lower() == RESPONDENT
        self._first_item = 1 if self.has_respondent else 0
        self.header_problems = _check_header(
            f"{self.name}: row {self.header_row}", self.columns[self._first_item :], rubric
        )

    def __enter__(self) -> CsvAnswers:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def _next_record(self) -> tuple[int, list[str]] | None:
        """The next non-blank record and its number, or None at the end.

        Raises :class:`AnswerFileError` when the rest cannot be read.
        """
        while True:
            self._lines.row_bytes = 0
            try:
                record = next(self._reader)
            except StopIteration:
                return None
            except _Unreadable as exc:
                raise AnswerFileError([str(exc)]) from None
            except csv.Error as exc:
                raise AnswerFileError(
                    [f"{self.name}: line {self._lines.line}: not valid CSV: {exc}"]
                ) from None
            self._number += 1
            if any(cell.strip() for cell in record):
                return self._number, record

    def rows(self) -> Iterator[CsvRow]:
        """Every non-blank row after the header, checked; a final problem-only row
        when the file has no answers or its rest cannot be read."""
        seen = False
        while True:
            try:
                record = self._next_record()
            except AnswerFileError as exc:
                yield CsvRow(answers=None, problems=exc.problems)
                return
            if record is None:
                break
            seen = True
            yield self._check_row(*record)
        if not seen:
            yield CsvRow(answers=None, problems=[f"{self.name}: no answers below the header row"])

    def _check_row(self, number: int, cells: list[str]) -> CsvRow:
        columns = self.columns
        respondent = (cells[0].strip() or None) if self.has_respondent else None
        where = f"{self.name}: row {number}" + (f" (respondent {respondent})" if respondent else "")
        if len(cells) != len(columns):
            return CsvRow(
                answers=None,
                problems=[f"{where}: has {len(cells)} cells but the header has {len(columns)}"],
            )
        responses: dict[str, ResponseValue | None] = {}
        found: dict[str, str] = {}  # column -> problem, reported in column order
        items = self.rubric.items_by_id
        first = self._first_item
        common = _COMMON_CELLS
        for column, cell in zip(columns[first:], cells[first:], strict=True):
            if column not in items:
                continue  # reported once, on the header
            if cell in common:
                responses[column] = common[cell]
                continue
            try:
                responses[column] = parse_response_value(cell)
            except ValueError as exc:
                found[column] = str(exc)
        found |= {p.item_id: p.message for p in validate_responses(self.rubric, responses)}
        if found:
            return CsvRow(
                answers=None,
                problems=[
                    f"{where}, column {column}: {found[column]}"
                    for column in dict.fromkeys(columns)
                    if column in found
                ],
            )
        return CsvRow(answers=AnswerSet(responses=responses, row=number, respondent=respondent))


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
