"""Rubrics through XLSX and CSV: lossless round-trips and located import errors."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook
from pydantic import BaseModel

from app.rubrics.loader import content_hash, load_rubric_file, parse_rubric
from app.rubrics.safe_yaml import load_yaml_text
from app.rubrics.schemas import Rubric, Text
from app.rubrics.spreadsheet import (
    MAX_CELL_CHARS,
    MAX_UNCOMPRESSED_BYTES,
    export_csv_zip,
    export_xlsx,
    import_csv_zip,
    import_xlsx,
)
from app.rubrics.tables import SHEETS, columns, scalar_fields
from app.rubrics.tables_import import SpreadsheetError
from app.rubrics.writer import rubric_yaml
from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.rubric_strategies import rubrics

MINI = FIXTURE_RUBRICS / "mini.yaml"


def _mini() -> Rubric:
    return load_rubric_file(MINI).rubric


def _roundtrips(rubric: Rubric) -> None:
    expected = content_hash(rubric)
    assert content_hash(import_xlsx(export_xlsx(rubric), source="x.xlsx")) == expected
    assert content_hash(import_csv_zip(export_csv_zip(rubric), source="x.zip")) == expected
    assert content_hash(parse_rubric(load_yaml_text(rubric_yaml(rubric)))) == expected


def test_the_product_owner_rubric_round_trips(po_rubric: Rubric) -> None:
    _roundtrips(po_rubric)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubrics())
def test_generated_rubrics_round_trip(rubric: Rubric) -> None:
    _roundtrips(rubric)


def test_awkward_text_round_trips() -> None:
    document = _mini().model_dump()
    document["title"] = '=HYPERLINK("http://x.test")'
    document["description"] = "line one\r\nline two\rthree _x000D_ _x005F_ " + "é" * 30_000
    document["version"] = "1.10"
    rubric = parse_rubric(document)
    _roundtrips(rubric)
    sheet = load_workbook(io.BytesIO(export_xlsx(rubric)))["rubric"]
    title = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "title")[1]
    assert title.data_type == "s"  # text, not a formula


def test_the_workbook_has_one_sheet_per_table_with_schema_columns() -> None:
    workbook = load_workbook(io.BytesIO(export_xlsx(_mini())))
    assert workbook.sheetnames == list(SHEETS)
    header = [c.value for c in next(workbook["cells"].iter_rows(max_row=1))]
    assert header == ["behavior", "level", "descriptor", "rater_descriptor"]
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(_mini()))) as archive:
        assert archive.namelist() == [f"{sheet}.csv" for sheet in SHEETS]


def test_an_optional_scalar_field_becomes_a_column_without_code() -> None:
    """How another engineer's optional field (``rater_prompt``) is carried."""

    class WithPrompt(BaseModel):
        id: str
        rater_prompt: Text | None = None
        items: list[str] = []

    assert scalar_fields(WithPrompt) == ["id", "rater_prompt"]
    assert columns("behaviors") == [
        "competency",
        *scalar_fields(type(_mini().competencies[0].behaviors[0])),
    ]


# ----------------------------------------------------------------------------- errors


def _edit_xlsx(data: bytes, sheet: str, cell: str, value: object) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _errors(call: object) -> list[str]:
    with pytest.raises(SpreadsheetError) as caught:
        call()  # type: ignore[operator]
    return caught.value.render().splitlines()


def test_xlsx_errors_name_sheet_row_and_column_without_the_value() -> None:
    data = export_xlsx(_mini())
    data = _edit_xlsx(data, "levels", "C2", "not-a-number")
    data = _edit_xlsx(data, "competencies", "D2", None)
    lines = _errors(lambda: import_xlsx(data, source="f.xlsx"))
    assert any(
        line.startswith("f.xlsx: sheet 'levels', row 2, column 'order': Input should be a valid")
        for line in lines
    ), lines
    assert "f.xlsx: sheet 'competencies', row 2, column 'description': Field required" in lines
    assert not any("zz-secret" in line or "not-a-number" in line for line in lines)


def test_an_unknown_level_is_located_in_its_sheet() -> None:
    data = _edit_xlsx(export_xlsx(_mini()), "competency_levels", "B3", "zz-secret-level")
    lines = _errors(lambda: import_xlsx(data, source="f.xlsx"))
    assert lines[0].startswith(
        "f.xlsx: sheet 'competency_levels', row 3, column 'level': unknown level"
    ), lines
    assert "zz-secret" not in "\n".join(lines)


def test_a_reference_to_nothing_and_an_unknown_column() -> None:
    data = _edit_xlsx(export_xlsx(_mini()), "items", "A4", "nobody")
    lines = _errors(lambda: import_xlsx(data, source="f.xlsx"))
    assert lines == ["f.xlsx: sheet 'items', row 4, column 'level': no row in sheet 'cells' for it"]
    data = _edit_xlsx(export_xlsx(_mini()), "levels", "F1", "colour")
    lines = _errors(lambda: import_xlsx(data, source="f.xlsx"))
    assert lines == ["f.xlsx: sheet 'levels', row 1, column 'F': unknown or repeated column"]
    data = _edit_xlsx(export_xlsx(_mini()), "levels", "F3", "stray")
    lines = _errors(lambda: import_xlsx(data, source="f.xlsx"))
    assert lines == ["f.xlsx: sheet 'levels', row 3: a value outside the named columns"]


def _edit_csv(data: bytes, sheet: str, row: int, column: str, value: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == f"{sheet}.csv":
                rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
                rows[row - 1][rows[0].index(column)] = value
                text = io.StringIO()
                csv.writer(text).writerows(rows)
                content = text.getvalue().encode("utf-8-sig")
            dst.writestr(name, content)
    return out.getvalue()


def test_csv_errors_are_located_too() -> None:
    data = _edit_csv(export_csv_zip(_mini()), "behaviors", 3, "competency", "ghost")
    data = _edit_csv(data, "rubric", 2, "value", "Not A Slug!")
    lines = _errors(lambda: import_csv_zip(data, source="f.zip"))
    assert "f.zip: sheet 'behaviors', row 3, column 'competency': no such competency" in lines
    data = _edit_csv(export_csv_zip(_mini()), "rubric", 2, "value", "Not A Slug!")
    lines = _errors(lambda: import_csv_zip(data, source="f.zip"))
    assert lines[0].startswith("f.zip: sheet 'rubric', row 2, column 'value': String should match")


def test_limits_refuse_before_parsing(tmp_path: Path) -> None:
    assert _errors(lambda: import_xlsx(b"not a zip", source="f.xlsx")) == [
        "f.xlsx: not a zip file (XLSX and CSV zips are)"
    ]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rubric.csv", b"0" * (MAX_UNCOMPRESSED_BYTES + 1))
    assert _errors(lambda: import_csv_zip(bomb.getvalue(), source="f.zip")) == [
        f"f.zip: expands to more than {MAX_UNCOMPRESSED_BYTES} bytes"
    ]
    document = _mini().model_dump()
    document["description"] = "x" * (MAX_CELL_CHARS + 1)
    lines = _errors(lambda: export_xlsx(parse_rubric(document)))
    assert lines == [
        f"export: sheet 'rubric', row 5, column 'value': longer than {MAX_CELL_CHARS} characters"
    ]


def test_the_downloadable_templates_are_the_mini_rubric() -> None:
    templates = Path(__file__).resolve().parents[2] / "docs" / "templates"
    expected = content_hash(_mini())
    xlsx = import_xlsx((templates / "rubric-template.xlsx").read_bytes(), source="t")
    assert content_hash(xlsx) == expected
    zipped = import_csv_zip((templates / "rubric-template.zip").read_bytes(), source="t")
    assert content_hash(zipped) == expected


def test_a_negative_zero_threshold_round_trips() -> None:
    """Found by the property test above: -0.0 came back as 0.0 and changed the content hash."""
    document = _mini().model_dump()
    document["scale"] = {"min": -2, "max": 2, "allow_na": False, "labels": {}}
    document["scoring"]["threshold"] = -0.0
    rubric = parse_rubric(document)
    assert str(rubric.scoring.threshold) == "0.0"
    _roundtrips(rubric)
