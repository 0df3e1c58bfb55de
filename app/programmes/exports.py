"""Cohort results as files: CSV and XLSX, one row per member x behavior (x cycle).

Pure: rows of plain values in, bytes out. Every text cell that a spreadsheet
would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return: a display name is a person's own text) is prefixed with
``'`` so it stays text (CSV/formula injection, docs/security.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.core.csv_text import FORMULA_STARTS, safe_text

__all__ = ["FORMULA_STARTS", "HEADER", "ResultRow", "results_csv", "results_xlsx", "safe_text"]


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One member's self and coach level of one behavior in one cycle."""

    cohort: str
    cycle: str
    member_email: str
    member_name: str
    rubric_id: str
    rubric_version: str
    competency_id: str
    behavior_id: str
    behavior_name: str
    self_level: int
    coach_level: int | None


HEADER: tuple[str, ...] = tuple(f.name for f in fields(ResultRow))


def _cells(row: ResultRow) -> list[str | int | None]:
    return [safe_text(v) if isinstance(v, str) else v for v in astuple(row)]


def results_csv(rows: Iterable[ResultRow]) -> bytes:
    """UTF-8 CSV with a header row (and a BOM, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _cells(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_xlsx(rows: Sequence[ResultRow], *, title: str = "Results") -> bytes:
    """An XLSX workbook of one sheet: the header (frozen, filterable) and the rows."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(_cells(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(rows) + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
