"""``stepwise report ASSESSMENT_ID -o FILE.pdf`` as a real process, on a database of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.fixtures.cli_database import submitted_in_own_database
from tests.fixtures.pdf import pdf_info, pdf_text
from tests.fixtures.processes import run_cli
from tests.reports.conftest import MINI_ANSWERS


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, int]:
    """A migrated SQLite file with one submitted ``mini`` assessment; (url, assessment id)."""
    return submitted_in_own_database(tmp_path, answers=MINI_ANSWERS)


def _stepwise(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        *args, env={"STEPWISE_DATABASE_URL": url, "STEPWISE_REPORT_WORKERS": "1"}, timeout=120
    )


def test_report_writes_the_pdf_and_reuses_the_cache(
    database: tuple[str, int], tmp_path: Path
) -> None:
    url, assessment_id = database
    out = tmp_path / "report.pdf"
    first = _stepwise(url, "report", str(assessment_id), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "rendered" in first.stdout
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "Pat Participant" in pdf_text(out)

    again = _stepwise(url, "report", str(assessment_id), "-o", str(out))
    assert again.returncode == 0 and "from the cache" in again.stdout
    assert out.read_bytes() == pdf

    letter = tmp_path / "letter.pdf"
    assert (
        _stepwise(url, "report", str(assessment_id), "-o", str(letter), "--letter").returncode == 0
    )
    info = pdf_info(letter)
    assert (info.width, info.height) == (612, 792)  # US letter


def test_an_unknown_assessment_is_one_line_and_exit_1(
    database: tuple[str, int], tmp_path: Path
) -> None:
    url, assessment_id = database
    result = _stepwise(url, "report", str(assessment_id + 99), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert result.stderr.strip() == "stepwise: Assessment not found"
    assert not (tmp_path / "x.pdf").exists()
