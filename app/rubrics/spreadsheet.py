"""Rubrics as XLSX workbooks and as zips of CSV files (docs/rubric-spreadsheet.md).

Both formats hold the tables of :mod:`app.rubrics.tables`, one sheet (or one
``<sheet>.csv``) each. Reading is bounded before anything is parsed: the file
size, the uncompressed size of the zip (XLSX is a zip too), the rows per
sheet, the columns and the characters per cell all have explicit limits, and
openpyxl parses the XML through defusedxml. Text cells are written as text
(a descriptor starting with ``=`` stays a string, never a formula).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from app.rubrics import translation_sheet
from app.rubrics.schemas import Rubric
from app.rubrics.tables import SHEETS, Table, columns, rubric_to_tables
from app.rubrics.tables_import import CellProblem, RawRow, SpreadsheetError, tables_to_rubric
from app.rubrics.translations import RubricTranslation

Format = Literal["xlsx", "csv"]

#: An uploaded spreadsheet file, before anything is parsed.
MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024
#: What its zip may expand to (a zip bomb is refused before it is inflated).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Data rows per sheet; the shipped rubric's largest sheet (items) has 230.
MAX_ROWS_PER_SHEET = 20_000
#: Columns per sheet (the schema has under ten per sheet).
MAX_COLUMNS = 50
#: Characters in one cell: Excel's own limit, so every exported cell opens in Excel.
MAX_CELL_CHARS = 32_767

CSV_ENCODING = "utf-8-sig"
"""CSV files are UTF-8 with a byte-order mark, which Excel needs to read UTF-8."""


# ----------------------------------------------------------------------------- export


def _check_exportable(tables: dict[str, Table]) -> None:
    problems = []
    for sheet, table in tables.items():
        for number, row in enumerate(table.rows, start=2):
            for name, value in zip(table.columns, row, strict=True):
                if not isinstance(value, str):
                    continue
                if len(value) > MAX_CELL_CHARS:
                    problems.append(
                        CellProblem(sheet, number, name, f"longer than {MAX_CELL_CHARS} characters")
                    )
                elif ILLEGAL_CHARACTERS_RE.search(value):
                    problems.append(
                        CellProblem(sheet, number, name, "holds a control character a sheet cannot")
                    )
    if problems:
        raise SpreadsheetError("export", problems)


_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xlsx_value(value: Any) -> Any:
    """A cell value as XLSX keeps it exactly.

    A float XLSX would round (it keeps 15 significant digits) is written as its
    exact text. In text, XML turns a carriage return into a line feed, so it is
    written in OOXML's ``_x000D_`` escape, as Excel does (and a literal
    ``_xHHHH_`` has its underscore escaped as ``_x005F_``).
    """
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)
    if isinstance(value, str):
        return _OOXML_ESCAPE.sub("_x005F_", value).replace("\r", "_x000D_")
    return value


def _xlsx_unescape(value: Any) -> Any:
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def _tables(rubric: Rubric, translations: Iterable[RubricTranslation]) -> dict[str, Table]:
    """The rubric's tables, then the ``translations`` sheet when it has any."""
    tables = rubric_to_tables(rubric)
    extra = translation_sheet.translations_table(translations)
    if extra.rows:
        tables[translation_sheet.SHEET] = extra
    _check_exportable(tables)
    return tables


def export_xlsx(rubric: Rubric, translations: Iterable[RubricTranslation] = ()) -> bytes:
    """The rubric as an XLSX workbook, one sheet per table, header row frozen."""
    tables = _tables(rubric, translations)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for sheet, table in tables.items():
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(table.columns)
        for values in table.rows:
            worksheet.append([_xlsx_value(v) for v in values])
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        worksheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_text(values: Iterable[Any]) -> list[str]:
    out = []
    for value in values:
        if value is None:
            out.append("")
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        else:
            out.append(str(value))
    return out


def export_csv_zip(rubric: Rubric, translations: Iterable[RubricTranslation] = ()) -> bytes:
    """The rubric as a zip of ``<sheet>.csv`` files (UTF-8 with BOM, RFC 4180 quoting)."""
    tables = _tables(rubric, translations)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet, table in tables.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows(_csv_text(row) for row in table.rows)
            archive.writestr(f"{sheet}.csv", text.getvalue().encode(CSV_ENCODING))
    return buffer.getvalue()


def export_spreadsheet(
    rubric: Rubric, fmt: Format, translations: Iterable[RubricTranslation] = ()
) -> bytes:
    if fmt == "xlsx":
        return export_xlsx(rubric, translations)
    return export_csv_zip(rubric, translations)


# ----------------------------------------------------------------------------- import


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    if len(data) > MAX_SPREADSHEET_BYTES:
        raise SpreadsheetError(
            source, [CellProblem(None, None, None, f"larger than {MAX_SPREADSHEET_BYTES} bytes")]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SpreadsheetError(
            source, [CellProblem(None, None, None, "not a zip file (XLSX and CSV zips are)")]
        ) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            source,
            [CellProblem(None, None, None, f"expands to more than {MAX_UNCOMPRESSED_BYTES} bytes")],
        )
    return archive


def _rows(sheet: str, values: Iterator[Iterable[Any]], problems: list[CellProblem]) -> list[RawRow]:
    """Header-checked rows of one sheet, blank rows skipped, limits enforced."""
    header_values = next(values, None)
    if header_values is None:
        return []
    header = [("" if v is None else str(v).strip()) for v in header_values]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        problems.append(CellProblem(sheet, 1, None, f"more than {MAX_COLUMNS} columns"))
        return []
    known = set(translation_sheet.COLUMNS if sheet == translation_sheet.SHEET else columns(sheet))
    bad = False
    for index, name in enumerate(header, start=1):
        if name and (name not in known or header.index(name) != index - 1):
            problems.append(
                CellProblem(sheet, 1, get_column_letter(index), "unknown or repeated column")
            )
            bad = True
    if bad:
        return []
    rows: list[RawRow] = []
    for number, raw in enumerate(values, start=2):
        cells = list(raw)
        unnamed = cells[len(header) :] + [v for n, v in zip(header, cells, strict=False) if not n]
        if any(v not in (None, "") for v in unnamed):
            problems.append(CellProblem(sheet, number, None, "a value outside the named columns"))
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if len(rows) >= MAX_ROWS_PER_SHEET:
            problems.append(
                CellProblem(sheet, number, None, f"more than {MAX_ROWS_PER_SHEET} rows")
            )
            break
        row = {n: v for n, v in zip(header, cells, strict=False) if n}
        for name, value in row.items():
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                problems.append(
                    CellProblem(sheet, number, name, f"longer than {MAX_CELL_CHARS} characters")
                )
        rows.append(RawRow(number, row))
    return rows


def _finish(
    sheets: dict[str, list[RawRow]], problems: list[CellProblem], source: str
) -> tuple[Rubric, list[RubricTranslation]]:
    if problems:
        raise SpreadsheetError(source, problems)
    translated = sheets.pop(translation_sheet.SHEET, [])
    rubric = tables_to_rubric(sheets, source=source)
    translations, problems = translation_sheet.translations_from_rows(
        translated, rubric, source=source
    )
    if problems:
        raise SpreadsheetError(source, problems)
    return rubric, translations


def _is_sheet(name: str) -> bool:
    return name in SHEETS or name == translation_sheet.SHEET


def import_xlsx(data: bytes, *, source: str) -> Rubric:
    """Read a workbook written by :func:`export_xlsx` (or edited from its template)."""
    return _read_xlsx(data, source=source)[0]


def _read_xlsx(data: bytes, *, source: str) -> tuple[Rubric, list[RubricTranslation]]:
    _open_zip(data, source).close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(
            source, [CellProblem(None, None, None, "not a readable XLSX workbook")]
        ) from None
    problems: list[CellProblem] = []
    sheets: dict[str, list[RawRow]] = {}
    try:
        for name in workbook.sheetnames:
            if not _is_sheet(name):
                problems.append(CellProblem(name, None, None, "unknown sheet"))
                continue
            worksheet = workbook[name]
            rows = (map(_xlsx_unescape, row) for row in worksheet.iter_rows(values_only=True))
            sheets[name] = _rows(name, rows, problems)
    finally:
        workbook.close()
    return _finish(sheets, problems, source)


def import_csv_zip(data: bytes, *, source: str) -> Rubric:
    """Read a zip of ``<sheet>.csv`` files written by :func:`export_csv_zip`."""
    return _read_csv_zip(data, source=source)[0]


def _read_csv_zip(data: bytes, *, source: str) -> tuple[Rubric, list[RubricTranslation]]:
    problems: list[CellProblem] = []
    sheets: dict[str, list[RawRow]] = {}
    with _open_zip(data, source) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = info.filename.rsplit("/", 1)[-1].removesuffix(".csv")
            if not _is_sheet(name) or not info.filename.endswith(".csv"):
                problems.append(CellProblem(None, None, None, "a file in the zip is not a sheet"))
                continue
            try:
                text = archive.read(info).decode(CSV_ENCODING)
            except UnicodeDecodeError:
                problems.append(CellProblem(name, None, None, "not UTF-8 text"))
                continue
            try:
                sheets[name] = _rows(
                    name, iter(csv.reader(io.StringIO(text, newline=""))), problems
                )
            except csv.Error:
                problems.append(CellProblem(name, None, None, "not valid CSV"))
    return _finish(sheets, problems, source)


def import_spreadsheet(data: bytes, fmt: Format, *, source: str) -> Rubric:
    return import_translated_spreadsheet(data, fmt, source=source)[0]


def import_translated_spreadsheet(
    data: bytes, fmt: Format, *, source: str
) -> tuple[Rubric, list[RubricTranslation]]:
    """The rubric and the translations of its ``translations`` sheet (none without one)."""
    if fmt == "xlsx":
        return _read_xlsx(data, source=source)
    return _read_csv_zip(data, source=source)
