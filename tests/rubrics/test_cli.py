"""``stepwise rubrics validate`` runs as a real process: exit codes and messages."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.paths import FIXTURE_RUBRICS, ROOT
from tests.fixtures.processes import run_cli
from tests.fixtures.yaml_bombs import write_alias_bomb

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


#: Address-space cap for the bomb runs: the CLI with every import needs about
#: 120 MB resident; without the budget the bomb needed more than 2.9 GB.
MEMORY_CAP = 512 * 1024 * 1024


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def capped_stepwise(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The CLI as a process that cannot use more than MEMORY_CAP of memory."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
        preexec_fn=_capped,  # only sets a resource limit
    )


def test_validate_refuses_the_alias_bomb_in_little_memory(tmp_path: Path) -> None:
    bomb = write_alias_bomb(tmp_path)
    shipped = ROOT / "rubrics" / "product-owner.yaml"
    result = capped_stepwise("rubrics", "validate", str(bomb), str(shipped), env={})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert re.search(
        rf"{re.escape(str(bomb))}: line \d+, column \d+: refused: the file expands to more "
        r"than 100,000 YAML nodes",
        result.stderr,
    ), result.stderr
    # The real rubric in the same run still loads.
    assert f"ok  {shipped}: product-owner 1.3 (230 items)" in result.stdout


@pytest.mark.parametrize(
    "command",
    [("rubrics", "load"), ("serve", "--port", "8798"), ("score", "--rubric", "bomb", "x.csv")],
)
def test_every_command_that_loads_rubrics_refuses_the_bomb(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    bomb = write_alias_bomb(rubrics)
    env = {
        "STEPWISE_RUBRICS_DIR": str(rubrics),
        "STEPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    result = capped_stepwise(*command, env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "refusing to continue" in result.stderr
    assert f"{bomb}: line " in result.stderr and "refused: the file expands" in result.stderr
