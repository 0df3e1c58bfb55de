"""``stepwise rubrics export`` and ``import`` as real processes: files, messages, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.rubrics.case import validate_package
from app.rubrics.loader import load_rubric_file
from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.processes import run_cli

MINI = FIXTURE_RUBRICS / "mini.yaml"


@pytest.mark.parametrize(("fmt", "suffix"), [("xlsx", "xlsx"), ("csv", "zip"), ("case", "json")])
def test_export_then_import_gives_the_same_rubric(tmp_path: Path, fmt: str, suffix: str) -> None:
    exported = tmp_path / f"mini.{suffix}"
    result = run_cli("rubrics", "export", str(MINI), "--format", fmt, "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert f"wrote {exported}: mini 2 as {fmt}" in result.stdout
    if fmt == "case":
        assert validate_package(json.loads(exported.read_text())) == []
    back = tmp_path / "mini.yaml"
    result = run_cli("rubrics", "import", str(exported), "-o", str(back))
    assert result.returncode == 0, result.stderr
    assert f"wrote {back}: mini 2 (7 items)" in result.stdout
    assert load_rubric_file(back).content_hash == load_rubric_file(MINI).content_hash


def test_export_by_id_from_the_rubrics_directory(tmp_path: Path) -> None:
    out = tmp_path / "mini.xlsx"
    env = {"STEPWISE_RUBRICS_DIR": str(FIXTURE_RUBRICS)}
    result = run_cli("rubrics", "export", "mini", "-f", "xlsx", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    result = run_cli("rubrics", "export", "nope", "-f", "xlsx", "-o", str(out), env=env)
    assert result.returncode == 1
    assert f"nope: no such rubric in {FIXTURE_RUBRICS}" in result.stderr


def test_import_errors_are_located_and_exit_non_zero(tmp_path: Path) -> None:
    exported = tmp_path / "mini.xlsx"
    assert (
        run_cli("rubrics", "export", str(MINI), "-f", "xlsx", "-o", str(exported)).returncode == 0
    )
    workbook = load_workbook(exported)
    workbook["behaviors"]["A3"] = "no-such-competency"
    buffer = io.BytesIO()
    workbook.save(buffer)
    exported.write_bytes(buffer.getvalue())
    out = tmp_path / "out.yaml"
    result = run_cli("rubrics", "import", str(exported), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"{exported}: sheet 'behaviors', row 3, column 'competency': no such competency"
        in result.stderr
    )
    assert "no-such-competency" not in result.stderr
    assert not out.exists()
    unknown = tmp_path / "mini.txt"
    unknown.write_text("x")
    result = run_cli("rubrics", "import", str(unknown), "-o", str(out))
    assert result.returncode == 1 and "unknown format" in result.stderr


def test_a_foreign_case_import_prints_its_report(tmp_path: Path) -> None:
    exported = tmp_path / "mini.json"
    assert (
        run_cli("rubrics", "export", str(MINI), "-f", "case", "-o", str(exported)).returncode == 0
    )
    package = json.loads(exported.read_text())
    package["CFDocument"].pop("extensions")
    exported.write_text(json.dumps(package))
    out = tmp_path / "out.yaml"
    result = run_cli("rubrics", "import", str(exported), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{exported}: note: levels: CASE has no level ladder" in result.stderr
    assert load_rubric_file(out).rubric.item_count == 7  # one placeholder per behavior level
