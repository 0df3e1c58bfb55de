"""Invalid rubric files get clear, located errors: file, field path, what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.rubrics.loader import (
    RubricFileError,
    RubricLoadErrors,
    content_hash,
    load_rubric_dir,
    load_rubric_file,
)

MINI = Path(__file__).parents[1] / "fixtures" / "rubrics" / "mini.yaml"


def _mini() -> dict:
    return yaml.safe_load(MINI.read_text())


def _write(tmp_path: Path, data: dict | str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(RubricFileError) as info:
        load_rubric_file(path)
    assert info.value.path == str(path)
    return [str(p) for p in info.value.problems]


def test_the_fixture_rubric_loads_with_sparse_levels() -> None:
    loaded = load_rubric_file(MINI)
    review = loaded.rubric.competencies[0].behaviors[1]
    assert [lvl.id for lvl in loaded.rubric.behavior_levels(review)] == ["novice", "expert"]
    assert loaded.rubric.item_count == 7
    assert len(loaded.content_hash) == 64


def test_duplicate_item_ids_are_located(tmp_path: Path) -> None:
    data = _mini()
    data["competencies"][0]["behaviors"][1]["levels"]["novice"]["items"][0]["id"] = "pl-1"
    problems = _problems(_write(tmp_path, data))
    assert (
        "competencies[0].behaviors[0].levels.novice.items[0].id: duplicate item id 'pl-1'"
        in (problems[0])
    )
    assert any(
        p.startswith("competencies[0].behaviors[1].levels.novice.items[0].id") for p in problems
    )


def test_unknown_level_names_the_known_ones(tmp_path: Path) -> None:
    data = _mini()
    levels = data["competencies"][0]["behaviors"][0]["levels"]
    levels["guru"] = levels.pop("expert")
    (problem,) = _problems(_write(tmp_path, data))
    assert problem.startswith("competencies[0].behaviors[0].levels.guru: unknown level 'guru'")
    assert "novice, practitioner, expert" in problem


def test_empty_items_and_missing_fields(tmp_path: Path) -> None:
    data = _mini()
    data["competencies"][0]["behaviors"][0]["levels"]["novice"]["items"] = []
    del data["competencies"][0]["purpose"]
    problems = _problems(_write(tmp_path, data))
    assert any(p.startswith("competencies[0].behaviors[0].levels.novice.items:") for p in problems)
    assert any(p.startswith("competencies[0].purpose: Field required") for p in problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"scale": {"min": 5, "max": 1}}, "scale.max: must be greater than scale.min"),
        ({"scoring": {"threshold": 9}}, "scoring.threshold: must lie above scale.min"),
        ({"scoring": {"threshold": 0}}, "scoring.threshold: must lie above scale.min"),
        (
            {"scoring": {"overall": "mean"}},
            "scoring.overall: Input should be 'median' or 'minimum'",
        ),
        ({"scale": {"min": 0, "max": 4, "labels": {7: "x"}}}, "scale.labels.7: outside the scale"),
        ({"unexpected": 1}, "unexpected: Extra inputs are not permitted"),
    ],
)
def test_bad_scale_and_scoring(tmp_path: Path, change: dict, expected: str) -> None:
    data = _mini() | change
    problems = _problems(_write(tmp_path, data))
    assert any(p.startswith(expected) for p in problems), problems


def test_duplicate_levels(tmp_path: Path) -> None:
    data = _mini()
    data["levels"][1]["id"] = "novice"
    data["levels"][2]["order"] = 1
    problems = _problems(_write(tmp_path, data))
    assert "levels[1].id: duplicate level id 'novice'" in problems
    assert "levels[2].order: duplicate level order 1" in problems


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "id: x\ntitle: [unclosed\n"))
    assert problem.startswith("line 3, column 1: not valid YAML")


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    text = MINI.read_text().replace("title: Mini framework", "title: Mini framework\ntitle: Again")
    (problem,) = _problems(_write(tmp_path, text))
    assert "duplicate key 'title'" in problem


def test_not_a_mapping(tmp_path: Path) -> None:
    assert _problems(_write(tmp_path, "- just\n- a list\n")) == [
        "the file must hold a mapping at the top level"
    ]


def test_hash_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    reformatted = _write(tmp_path, "# a comment\n" + MINI.read_text(), "a.yaml")
    assert load_rubric_file(reformatted).content_hash == load_rubric_file(MINI).content_hash
    data = _mini()
    data["title"] = "Changed"
    assert content_hash(load_rubric_file(_write(tmp_path, data, "b.yaml")).rubric) != (
        load_rubric_file(MINI).content_hash
    )


def test_a_directory_reports_every_bad_file(tmp_path: Path) -> None:
    _write(tmp_path, "id: [", "one.yaml")
    _write(tmp_path, {"id": "x"}, "two.yaml")
    _write(tmp_path, MINI.read_text(), "three.yaml")
    _write(tmp_path, MINI.read_text(), "four.yaml")  # same id and version as three
    with pytest.raises(RubricLoadErrors) as info:
        load_rubric_dir(tmp_path)
    paths = sorted(Path(e.path).name for e in info.value.errors)
    assert paths == ["one.yaml", "three.yaml", "two.yaml"]
    assert "also defined in" in str(info.value)
