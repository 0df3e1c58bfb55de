"""``stepwise score`` as a real process: no database, located messages, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.rubrics.loader import load_rubric_file
from app.scoring import score_responses

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rubrics"
MINI = load_rubric_file(FIXTURES / "mini.yaml").rubric
HEADER = "pl-1,pl-2a,pl-2b,pl-3,rv-1,rv-3a,rv-3b"


def stepwise(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the fixture rubrics and a database URL that cannot be opened."""
    env = {
        **os.environ,
        "STEPWISE_RUBRICS_DIR": str(FIXTURES),
        "STEPWISE_DATABASE_URL": f"sqlite:///{cwd / 'no-such-dir' / 'never.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "score", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def test_scores_a_json_file_without_a_database(tmp_path: Path) -> None:
    answers = {"pl-1": 4, "pl-2a": 3, "pl-2b": 3, "rv-1": 2, "rv-3a": None}
    (tmp_path / "answers.json").write_text(json.dumps(answers))
    result = stepwise("--rubric", "mini", "answers.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == score_responses(MINI, answers).model_dump(mode="json")
    assert result.stdout.startswith('{\n  "rubric"')  # indented by default
    assert not (tmp_path / "no-such-dir").exists()


def test_scores_a_csv_file_one_result_per_respondent(tmp_path: Path) -> None:
    (tmp_path / "team.csv").write_text(
        f"respondent,{HEADER}\r\nana,4,4,3,,2,1,0\r\n\r\nbo,4,4,4,4,4,4,4\r\n", encoding="utf-8"
    )
    out = tmp_path / "out" / "results.json"
    out.parent.mkdir()
    result = stepwise(
        "--rubric",
        "mini",
        "--version",
        "2",
        "--indent",
        "0",
        "--output",
        str(out),
        "team.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    entries = json.loads(out.read_text())
    ana = dict(zip(HEADER.split(","), [4, 4, 3, None, 2, 1, 0], strict=True))
    bo = dict.fromkeys(HEADER.split(","), 4)
    assert entries == [
        {
            "row": 2,
            "respondent": "ana",
            "result": score_responses(MINI, ana).model_dump(mode="json"),
        },
        {"row": 4, "respondent": "bo", "result": score_responses(MINI, bo).model_dump(mode="json")},
    ]
    assert entries[0]["result"]["answered"] == 6 and entries[1]["result"]["answered"] == 7
    assert len(out.read_text().splitlines()) == 1  # --indent 0: one line


def test_a_csv_without_respondents(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("pl-1,rv-1\n4, 3 \n")
    result = stepwise("--rubric", "mini", "a.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = score_responses(MINI, {"pl-1": 4, "rv-1": 3}).model_dump(mode="json")
    assert json.loads(result.stdout) == [{"row": 2, "result": expected}]


@pytest.mark.parametrize(
    ("name", "content", "messages"),
    [
        (
            "answers.csv",
            f"respondent,{HEADER}\nana,4,4,3,3,3,3,3\nbo,1,2,3,4,0,0,0\ncy,7,x,3,3,3,3,n/a\n",
            [
                "answers.csv: row 4 (respondent cy), column pl-1: is outside the scale 0..4",
                "answers.csv: row 4 (respondent cy), column pl-2a: cannot be read as an answer",
                "answers.csv: row 4 (respondent cy), column rv-3b: 'n/a' is not allowed",
            ],
        ),
        (
            "answers.csv",
            "pl-1,pm-vs-1a,pl-1\n1,2,3\n1.5,2\n",
            [
                "answers.csv: row 1, column pm-vs-1a: unknown item id for this rubric",
                "answers.csv: row 1, column pl-1: appears twice",
                "answers.csv: row 3: has 2 cells but the header has 3",
            ],
        ),
        ("empty.csv", "\n\n", ["empty.csv: the file is empty"]),
        ("head.csv", "pl-1\n", ["head.csv: no answers below the header row"]),
        (
            "answers.json",
            '{"pl-1": 4, "pm-vs-1a": 2, "rv-1": 3.5, "rv-3a": "4"}',
            [
                "answers.json: key rv-1: must be an integer from 0 to 4"
                " (got a number with a fraction)",
                "answers.json: key rv-3a: must be an integer from 0 to 4 (got text)",
                "answers.json: key pm-vs-1a: unknown item id for this rubric",
            ],
        ),
        ("broken.json", '{"pl-1": 4,', ["broken.json: not valid JSON: Expecting property name"]),
        ("list.json", "[1, 2]", ["list.json: expected a JSON object {item_id: value}, got a list"]),
        ("twice.json", '{"pl-1": 4, "pl-1": 3}', ["twice.json: key pl-1 appears twice"]),
    ],
)
def test_bad_input_is_located(tmp_path: Path, name: str, content: str, messages: list[str]) -> None:
    (tmp_path / name).write_text(content)
    result = stepwise("--rubric", "mini", name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(messages), result.stderr
    for line, message in zip(lines, messages, strict=True):
        assert line.startswith(message), (line, message)


def test_unknown_rubric_version_and_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    unknown = stepwise("--rubric", "nope", "a.json", cwd=tmp_path)
    assert unknown.returncode == 1
    assert "unknown rubric 'nope'" in unknown.stderr and "available: mini 2" in unknown.stderr
    old = stepwise("--rubric", "mini", "--version", "1", "a.json", cwd=tmp_path)
    assert old.returncode == 1 and "unknown rubric 'mini' version 1" in old.stderr
    missing = stepwise("--rubric", "mini", "gone.json", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("gone.json: cannot read the file")
    usage = stepwise("a.json", cwd=tmp_path)
    assert usage.returncode == 2 and "--rubric" in usage.stderr
