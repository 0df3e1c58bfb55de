"""The rubric YAML budget: size, expanded nodes and text, aliases, depth; strict values."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.rubrics.loader import RubricFileError, load_rubric_file
from app.rubrics.safe_yaml import (
    MAX_RUBRIC_FILE_BYTES,
    MAX_RUBRIC_NODES,
    BudgetedLoader,
    YamlBudget,
    YamlRefused,
    load_yaml_file,
    load_yaml_text,
)
from tests.fixtures.yaml_bombs import alias_bomb, write_alias_bomb

ROOT = Path(__file__).parents[2]
PRODUCT_OWNER = ROOT / "rubrics" / "product-owner.yaml"


def _refusal(text: str, budget: YamlBudget | None = None) -> str:
    with pytest.raises(YamlRefused) as info:
        load_yaml_text(text, budget or YamlBudget())
    return str(info.value)


def test_the_shipped_rubric_is_far_inside_the_budget() -> None:
    text = PRODUCT_OWNER.read_text(encoding="utf-8")
    loader = BudgetedLoader(text)
    try:
        assert loader.get_single_data()["id"] == "product-owner"
    finally:
        loader.dispose()
    assert loader.expanded_nodes == 2908  # + 3 roles (1.3): 174 nodes
    assert loader.expanded_nodes * 30 < MAX_RUBRIC_NODES
    assert len(text.encode()) * 20 < MAX_RUBRIC_FILE_BYTES
    assert load_rubric_file(PRODUCT_OWNER).rubric.item_count == 230


def test_the_alias_bomb_is_refused_before_it_is_built(tmp_path: Path) -> None:
    bomb = write_alias_bomb(tmp_path)
    assert bomb.stat().st_size < 5000
    with pytest.raises(RubricFileError) as info:
        load_rubric_file(bomb)
    (problem,) = info.value.problems
    assert info.value.path == str(bomb)
    assert problem.path.startswith("line ") and ", column " in problem.path
    assert problem.message.startswith("refused: the file expands to more than 100,000 YAML nodes")


def test_aliases_count_every_copy_of_what_they_repeat() -> None:
    # The mapping, two keys, the list of 10 (11 nodes), list b, and 3 x 11 through *x.
    text = "a: &x [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*x, *x, *x]\n"
    loader = BudgetedLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    assert data["b"] == [list(range(10))] * 3
    assert loader.expanded_nodes == 1 + 2 + 11 + 1 + 3 * 11
    assert loader.alias_uses == 3
    assert "more than 40 YAML nodes" in _refusal(text, YamlBudget(max_nodes=40))
    assert load_yaml_text(text, YamlBudget(max_nodes=49))["a"] == list(range(10))


def test_a_long_text_repeated_by_aliases_is_refused() -> None:
    text = "a: &t " + "x" * 1000 + "\nb: [*t, *t, *t]\n"
    refusal = _refusal(text, YamlBudget(max_text_chars=3500))
    assert refusal.startswith("line 2, column 13: refused: the file expands to more than 3,500")
    assert load_yaml_text(text, YamlBudget(max_text_chars=4100))["b"][2] == "x" * 1000


@pytest.mark.parametrize(
    ("text", "budget", "expected"),
    [
        ("a: [*x]\nx: &x 1\n", YamlBudget(), "line 1, column 5: not valid YAML: found undefined"),
        ("a: &x [1, *x]\n", YamlBudget(), "line 1, column 11: refused: alias *x is used inside"),
        ("a: &x 1\nb: [*x, *x, *x]\n", YamlBudget(max_aliases=2), "line 2, column 13: refused: "),
        ("a: " + "[" * 60 + "]" * 60, YamlBudget(), "refused: the file nests deeper than 50"),
        ("a: " + "9" * 5000, YamlBudget(), "line 1, column 4: not valid YAML: cannot read this"),
        ("a: 2020-13-45", YamlBudget(), "not valid YAML: cannot read this timestamp value"),
        ("{[1]: 2}", YamlBudget(), "not valid YAML: found a key that is not a plain value"),
        ("a: 1\na: 2\n", YamlBudget(), "line 2, column 1: not valid YAML: found duplicate key 'a'"),
        ("a: !!python/object/apply:os.system [id]", YamlBudget(), "not valid YAML: could not"),
        ("a: 1\n---\nb: 2\n", YamlBudget(), "not valid YAML: but found another document"),
    ],
)
def test_hostile_or_broken_yaml_gets_a_located_refusal(
    text: str, budget: YamlBudget, expected: str
) -> None:
    assert expected in _refusal(text, budget)


def test_the_size_is_checked_before_the_file_is_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(YamlRefused, match="the file is larger than 100 bytes"):
        load_yaml_file(big, YamlBudget(max_bytes=100))
    # An endless file is not read to its end.
    with pytest.raises(YamlRefused, match="larger than 2,097,152 bytes"):
        load_yaml_file(Path("/dev/zero"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"a: \xe9t\xe9\n", "cannot read the file: not UTF-8 at byte 3"), (None, "Is a directory")],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "r.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(RubricFileError) as info:
        load_rubric_file(path)
    assert expected in str(info.value.problems[0])


def test_a_flood_of_problems_is_cut_short_when_printed(tmp_path: Path) -> None:
    # Inside the budget but full of duplicate ids: all are kept, 100 are printed.
    path = tmp_path / "dupes.yaml"
    path.write_text(alias_bomb(copies=30, behaviors=2, items=5))
    with pytest.raises(RubricFileError) as info:
        load_rubric_file(path)
    assert len(info.value.problems) > 100
    rendered = info.value.render().splitlines()
    assert len(rendered) == 102
    assert rendered[-1] == f"  ... and {len(info.value.problems) - 100} more problem(s)"
