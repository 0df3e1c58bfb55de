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
from tests.fixtures.memory import peak_rss_mb
from tests.fixtures.paths import FIXTURE_RUBRICS as FIXTURES
from tests.fixtures.processes import run_cli

MINI = load_rubric_file(FIXTURES / "mini.yaml").rubric
HEADER = "pl-1,pl-2a,pl-2b,pl-3,rv-1,rv-3a,rv-3b"


def stepwise(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the fixture rubrics and a database URL that cannot be opened."""
    env = {
        "STEPWISE_RUBRICS_DIR": str(FIXTURES),
        "STEPWISE_DATABASE_URL": f"sqlite:///{cwd / 'no-such-dir' / 'never.db'}",
    }
    return run_cli("score", *args, env=env, cwd=cwd)


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
    result = stepwise("--rubric", "mini", "--output", "out.json", name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no output, no temporary
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


def _entries(rows: list[tuple[str, dict[str, int | None]]]) -> list[dict[str, object]]:
    return [
        {
            "row": number,
            "respondent": name,
            "result": score_responses(MINI, answers).model_dump(mode="json"),
        }
        for number, (name, answers) in enumerate(rows, start=2)
    ]


def _team(count: int) -> list[tuple[str, dict[str, int | None]]]:
    items = HEADER.split(",")
    return [
        (f"p{n}", {item: (n * 7 + k) % 5 or None for k, item in enumerate(items)})
        for n in range(count)
    ]


def _write_team(
    path: Path, team: list[tuple[str, dict[str, int | None]]], encoding: str = "utf-8"
) -> None:
    items = HEADER.split(",")
    with path.open("w", encoding=encoding) as handle:
        handle.write(f"respondent,{HEADER}\n")
        for name, answers in team:
            cells = ["" if answers[i] is None else str(answers[i]) for i in items]
            handle.write(f"{name},{','.join(cells)}\n")


@pytest.mark.parametrize("indent", ["0", "2", "4"])
def test_the_streamed_json_list_is_what_json_dumps_gives(tmp_path: Path, indent: str) -> None:
    team = _team(5)
    _write_team(tmp_path / "team.csv", team)
    result = stepwise("--rubric", "mini", "--indent", indent, "team.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = json.dumps(_entries(team), indent=int(indent) or None, ensure_ascii=False)
    assert result.stdout == expected + "\n"


def test_ndjson_writes_one_compact_result_per_line(tmp_path: Path) -> None:
    team = _team(4)
    _write_team(tmp_path / "team.csv", team, encoding="utf-8-sig")  # as Excel saves it
    result = stepwise("--rubric", "mini", "--format", "ndjson", "team.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == _entries(team)
    assert lines == [
        json.dumps(entry, separators=(",", ":"), ensure_ascii=False) for entry in _entries(team)
    ]
    # A JSON file is one respondent: one line.
    (tmp_path / "one.json").write_text('{"pl-1": 4, "rv-1": 2}')
    single = stepwise("--rubric", "mini", "--format", "ndjson", "one.json", cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    assert single.stdout.count("\n") == 1
    expected = score_responses(MINI, {"pl-1": 4, "rv-1": 2}).model_dump(mode="json")
    assert json.loads(single.stdout) == expected


def test_every_bad_row_is_reported_and_nothing_after_the_first_is_written(
    tmp_path: Path,
) -> None:
    team = _team(300)
    _write_team(tmp_path / "team.csv", team)
    lines = (tmp_path / "team.csv").read_text().splitlines()
    bad_rows = list(range(4, 301, 2))  # rows 4, 6, ..., 300 (the header is row 1)
    for row in bad_rows:
        lines[row - 1] = lines[row - 1].replace(",", ",9,", 1).rsplit(",", 1)[0]
    (tmp_path / "team.csv").write_text("\n".join(lines) + "\n")

    result = stepwise("--rubric", "mini", "--format", "ndjson", "team.csv", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    assert problems[0] == "team.csv: row 4 (respondent p2), column pl-1: is outside the scale 0..4"
    assert problems[99].startswith("team.csv: row 202 (respondent p200), column pl-1")
    assert problems[100] == f"... and {len(bad_rows) - 100} more problem(s)"
    assert len(problems) == 101
    # Rows 2 and 3 came before the first bad row; nothing after it was written.
    assert [json.loads(line) for line in result.stdout.splitlines()] == _entries(team[:2])

    # As a JSON list on stdout the output is left unterminated, so it cannot pass as complete.
    listed = stepwise("--rubric", "mini", "team.csv", cwd=tmp_path)
    assert listed.returncode == 1
    with pytest.raises(json.JSONDecodeError):
        json.loads(listed.stdout)

    # With --output an existing file is left alone and no temporary file remains.
    (tmp_path / "out.json").write_text("previous\n")
    kept = stepwise("--rubric", "mini", "-o", "out.json", "team.csv", cwd=tmp_path)
    assert kept.returncode == 1
    assert (tmp_path / "out.json").read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "team.csv"]


def test_output_replaces_the_file_on_success_and_writes_to_devices(tmp_path: Path) -> None:
    team = _team(3)
    _write_team(tmp_path / "team.csv", team)
    (tmp_path / "out.json").write_text("previous\n")
    result = stepwise("--rubric", "mini", "-o", "out.json", "team.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out.json").read_text()) == _entries(team)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "team.csv"]
    null = stepwise("--rubric", "mini", "-o", "/dev/null", "team.csv", cwd=tmp_path)
    assert null.returncode == 0 and null.stderr == ""
    nowhere = stepwise("--rubric", "mini", "-o", "no/dir/out.json", "team.csv", cwd=tmp_path)
    assert nowhere.returncode == 1
    assert nowhere.stderr.startswith("no/dir/out.json: cannot write the output")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            f"{HEADER}\n1,1,1,1,1,1,1\n" + "1," * 600_000 + "1\n",
            "rows.csv: line 3: a row is longer than 1,048,576 bytes",
        ),
        (
            # Quoted cells spanning lines: each line and cell short, the row not.
            f"{HEADER}\n1,1,1,1,1,1,1\n" + '"x\nx",' * 300_000 + "1\n",
            "rows.csv: line 174766: a row is longer than 1,048,576 bytes",
        ),
        (
            f"{HEADER}\n1,1,1,1,1,1,1\n\xff\n",
            "rows.csv: line 3, byte 1: cannot read the file: not UTF-8",
        ),
    ],
)
def test_an_unreadable_rest_of_the_file_is_located(
    tmp_path: Path, content: str, message: str
) -> None:
    data = content.encode("utf-8").replace("\xff".encode(), b"\xff")
    (tmp_path / "rows.csv").write_bytes(data)
    result = stepwise("--rubric", "mini", "--format", "ndjson", "rows.csv", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [message]


def test_a_closed_pipe_stops_the_command_quietly(tmp_path: Path) -> None:
    _write_team(tmp_path / "team.csv", _team(3000))
    env = {**os.environ, "STEPWISE_RUBRICS_DIR": str(FIXTURES)}
    with subprocess.Popen(
        [sys.executable, "-m", "app.cli", "score", "--rubric", "mini", "team.csv"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100).startswith(b"[\n")
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 1
    assert stderr == ""


def test_memory_stays_flat_as_the_csv_grows(tmp_path: Path) -> None:
    """20 times the rows, about the same peak: nothing is kept per row."""
    env = {
        **os.environ,
        "STEPWISE_RUBRICS_DIR": str(FIXTURES),
        "STEPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-dir' / 'never.db'}",
    }
    peaks = {}
    for count in (1_000, 20_000):
        _write_team(tmp_path / f"{count}.csv", _team(count))
        for output_format in ("json", "ndjson"):
            args = ["--rubric", "mini", "--format", output_format, "-o", "/dev/null"]
            peak, code, stderr = peak_rss_mb(
                [sys.executable, "-m", "app.cli", "score", *args, f"{count}.csv"],
                env=env,
                cwd=tmp_path,
            )
            assert code == 0, stderr
            peaks[count, output_format] = peak
    for output_format in ("json", "ndjson"):
        small, large = peaks[1_000, output_format], peaks[20_000, output_format]
        assert large < small + 10, peaks  # megabytes
