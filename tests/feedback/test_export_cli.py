"""``stepwise feedback export ASSESSMENT_ID -o FILE.csv`` as a real process, on its own database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.fixtures.assessments import MINI_INCONSISTENT
from tests.fixtures.cli_database import submitted_in_own_database
from tests.fixtures.feedback_raters import MINI_RATERS, store_raters
from tests.fixtures.processes import run_cli


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, int]:
    """A migrated SQLite file with a submitted ``mini`` assessment and seven raters."""

    def raters(session: Session, assessment_id: int) -> None:
        store_raters(session, assessment_id=assessment_id, raters=MINI_RATERS)

    return submitted_in_own_database(tmp_path, answers=MINI_INCONSISTENT, then=raters)


def test_export_writes_the_shown_aggregates_only(database: tuple[str, int], tmp_path: Path) -> None:
    url, assessment_id = database
    out = tmp_path / "feedback.csv"
    done = run_cli(
        "feedback", "export", str(assessment_id), "-o", str(out), env={"STEPWISE_DATABASE_URL": url}
    )
    assert done.returncode == 0, done.stderr
    assert "6 rows" in done.stdout
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [(r["behavior_id"], r["group"], r["n"]) for r in rows] == [
        ("planning", "peers", "3"),
        ("planning", "stakeholders", "3"),
        ("planning", "all", "6"),
        ("review", "stakeholders", "3"),
        ("review", "others", "3"),
        ("review", "all", "6"),
    ]
    assert rows[0]["median"] == "2.0"
    assert rows[0]["distribution"] == "Novice: 1; Practitioner: 2; Expert: 0"
    text = out.read_text(encoding="utf-8")
    assert "MANAGER-ONLY" not in text and "@example.test" not in text


def test_an_unknown_assessment_is_one_line_and_exit_1(
    database: tuple[str, int], tmp_path: Path
) -> None:
    url, assessment_id = database
    out = tmp_path / "x.csv"
    done = run_cli(
        "feedback",
        "export",
        str(assessment_id + 99),
        "-o",
        str(out),
        env={"STEPWISE_DATABASE_URL": url},
    )
    assert done.returncode == 1
    assert "not found" in done.stderr.lower()
    assert "Traceback" not in done.stderr
    assert not out.exists()
