"""``stepwise rubrics validate`` runs as a real process: exit codes and messages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.fixtures.paths import FIXTURE_RUBRICS, ROOT
from tests.fixtures.processes import run_cli

MINI = FIXTURE_RUBRICS / "mini.yaml"


def stepwise(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env)


def test_validate_accepts_a_good_file() -> None:
    result = stepwise("rubrics", "validate", str(MINI))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout and "mini 2 (7 items)" in result.stdout


def test_validate_prints_every_problem_and_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINI.read_text().replace("id: pl-2b", "id: pl-1").replace("novice:", "newbie:", 1)
    )
    result = stepwise("rubrics", "validate", str(bad), str(MINI))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}: competencies[0].levels.newbie: unknown level 'newbie'" in result.stderr
    assert f"{bad}: competencies[0].behaviors[0].levels.practitioner.items[1].id" in result.stderr
    assert "mini 2" in result.stdout  # the good file is still reported


def test_validate_defaults_to_the_rubrics_dir_setting(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: nope\n")
    result = stepwise("rubrics", "validate", env={"STEPWISE_RUBRICS_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert f"{tmp_path / 'x.yaml'}: title: Field required" in result.stderr


def test_the_shipped_rubrics_are_valid() -> None:
    result = stepwise("rubrics", "validate", str(ROOT / "rubrics"))
    assert result.returncode == 0, result.stderr


def test_serve_refuses_to_start_on_an_invalid_rubric(tmp_path: Path) -> None:
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "broken.yaml").write_text("id: Not A Slug\n")
    env = {
        "STEPWISE_RUBRICS_DIR": str(tmp_path / "rubrics"),
        "STEPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    assert stepwise("db", "upgrade", env=env).returncode == 0
    result = stepwise("serve", "--port", "8799", env=env)
    assert result.returncode == 1
    assert "refusing to continue" in result.stderr
    assert (
        f"{tmp_path / 'rubrics' / 'broken.yaml'}: id: String should match pattern" in result.stderr
    )
    assert "Traceback" not in result.stderr
