"""``stepwise rubrics health`` as a real process: a CSV file, bad files, the database."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.fixtures.assessments import make_assessment
from tests.fixtures.cli_database import submitted_in_own_database
from tests.fixtures.factories import new_account
from tests.fixtures.health import (
    ANSWERS,
    PL1_ITEM_TOTAL,
    PLANNING_ALPHA,
    REVIEW_ALPHA,
    write_csv,
)
from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.processes import run_cli


def health(
    *args: str, cwd: Path, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The command with the fixture rubrics; a database that cannot be opened unless given."""
    env = {
        "STEPWISE_RUBRICS_DIR": str(FIXTURE_RUBRICS),
        "STEPWISE_DATABASE_URL": database_url or f"sqlite:///{cwd / 'no-such-dir' / 'never.db'}",
    }
    return run_cli("rubrics", "health", *args, env=env, cwd=cwd)


def _by_id(report: dict, behavior_id: str) -> dict:  # type: ignore[type-arg]
    return next(b for b in report["behaviors"] if b["id"] == behavior_id)


def test_a_csv_file_as_json_without_a_database(tmp_path: Path) -> None:
    write_csv(tmp_path / "team.csv")
    result = health(
        "mini", "--responses", "team.csv", "--min-n", "4", "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["respondents"] == 4 and report["min_n"] == 4
    planning = _by_id(report, "planning")
    assert planning["alpha"] == pytest.approx(PLANNING_ALPHA)
    assert planning["items"][0]["item_total"] == pytest.approx(PL1_ITEM_TOTAL)
    assert planning["guttman_breaks"] == pytest.approx(0.25)
    review = _by_id(report, "review")
    assert review["alpha"] == pytest.approx(REVIEW_ALPHA)
    assert review["no_variance_items"] == ["rv-1"]
    assert not (tmp_path / "no-such-dir").exists()


def test_the_table_marks_the_flags(tmp_path: Path) -> None:
    write_csv(tmp_path / "team.csv")
    result = health("mini", "--responses", "team.csv", "--min-n", "4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("rubric mini 2: 4 respondents")
    assert f"alpha={PLANNING_ALPHA:.2f}" in out
    assert "  ! alpha below 0.7" in out  # review
    assert "item-total below 0.3" in out  # pl-1
    assert "no variance" in out  # rv-1


def test_below_the_default_minimum_nothing_is_shown(tmp_path: Path) -> None:
    write_csv(tmp_path / "team.csv")
    result = health("mini", "--responses", "team.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("fewer than 30 complete respondents, not shown") == 2
    assert "alpha=" not in result.stdout


@pytest.mark.parametrize(
    ("content", "located"),
    [
        ("respondent,pl-1,pl-2a\r\nana,4,7\r\n", "team.csv: row 2 (respondent ana), column pl-2a:"),
        ("respondent,pl-1,nope\r\nana,4,3\r\n", "team.csv: row 1, column nope: unknown item id"),
        ("pl-1,pl-2a\r\n4,3\r\n2,three\r\n", "team.csv: row 3, column pl-2a:"),
    ],
    ids=["off-scale", "unknown-column", "not-a-number"],
)
def test_a_bad_csv_file_names_file_row_and_column(
    tmp_path: Path, content: str, located: str
) -> None:
    (tmp_path / "team.csv").write_text(content, encoding="utf-8")
    result = health("mini", "--responses", "team.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert located in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_missing_file_and_an_unknown_rubric(tmp_path: Path) -> None:
    missing = health("mini", "--responses", "gone.csv", cwd=tmp_path)
    assert missing.returncode == 2 and "gone.csv: cannot read the file" in missing.stderr
    unknown = health("nope", "--responses", "gone.csv", cwd=tmp_path)
    assert unknown.returncode == 1 and "nope: no such rubric" in unknown.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


def _three_more(session: Session, _assessment_id: int) -> None:
    for n, answers in enumerate(ANSWERS[1:], start=1):
        user = new_account(session=session, email=f"p{n}@example.test", display_name=f"P {n}")
        make_assessment(session=session, user=user, answers=answers)
    # An in-progress assessment does not count.
    draft = new_account(session=session, email="draft@example.test", display_name="Draft")
    make_assessment(session=session, user=draft, answers={"pl-1": 0}, submit=False)
    session.commit()


def test_over_the_submitted_assessments_of_the_database(tmp_path: Path) -> None:
    url, _ = submitted_in_own_database(tmp_path, answers=ANSWERS[0], then=_three_more)  # type: ignore[arg-type]
    result = health("mini", "--min-n", "4", "--format", "json", cwd=tmp_path, database_url=url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["respondents"] == 4
    assert _by_id(report, "planning")["alpha"] == pytest.approx(PLANNING_ALPHA)
    assert _by_id(report, "review")["alpha"] == pytest.approx(REVIEW_ALPHA)
    unknown = health("nope", cwd=tmp_path, database_url=url)
    assert unknown.returncode == 1 and "Rubric 'nope' not found" in unknown.stderr
