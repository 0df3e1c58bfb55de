"""``stepwise rubrics validate`` on translations, as a real process: messages and exit codes."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.processes import run_cli

MINI = FIXTURE_RUBRICS / "mini.yaml"
MINI_DE = FIXTURE_RUBRICS / "mini.de.yaml"


def test_missing_texts_are_warnings_with_file_locale_and_key_path() -> None:
    result = run_cli("rubrics", "validate", str(FIXTURE_RUBRICS))
    assert result.returncode == 0, result.stderr
    assert f"ok  {MINI_DE}: mini de" in result.stdout
    assert (
        f"{MINI_DE} (de: mini 2): warning: "
        "competencies.craft.behaviors.review.levels.expert.items.rv-3a: missing"
    ) in result.stderr


def test_an_extra_key_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    data = yaml.safe_load(MINI_DE.read_text(encoding="utf-8"))
    data["competencies"]["craft"]["behaviors"]["planning"]["levels"]["novice"]["items"]["pl-9"] = (
        "Gibt es nicht."
    )
    bad = tmp_path / "mini.de.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "mini.yaml").write_bytes(MINI.read_bytes())

    result = run_cli("rubrics", "validate", str(bad))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"{bad} (de: mini 2): error: "
        "competencies.craft.behaviors.planning.levels.novice.items.pl-9: not in the rubric"
    ) in result.stderr
