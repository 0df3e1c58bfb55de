"""Compare a rubric translation's structure with its English rubric; print what differs.

A translator works on a long YAML file by hand, so a forgotten item, a stray
key or an action list that lost an entry is easy to miss. This script needs
only the standard library and PyYAML (no app install), so it can run before
the app's own loader knows about translations.

It builds, from the rubric, the tree of text fields a translation must have
(see docs/rubric-format.md: lists of objects with an id become mappings keyed
by id, plain string lists stay lists of the same length) and compares it with
the translation: every text key present and non-empty, no extra key, lists of
equal length, and the header (``rubric``, ``locale``, ``source_version``)
matching. Exit status 1 when something differs.

Usage::

    python3 scripts/check-rubric-translation.py rubrics/product-owner.yaml \
        rubrics/product-owner.de.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

#: Text fields per element, as in app/rubrics/schemas.py (optional ones only
#: where the rubric has them).
RUBRIC_TEXT = ("title", "description")
LEVEL_TEXT = ("name", "summary")
COMPETENCY_TEXT = ("name", "purpose", "description")
BEHAVIOR_TEXT = ("name", "description", "rater_prompt")
BEHAVIOR_LEVEL_TEXT = ("descriptor", "rater_descriptor")
ROLE_TEXT = ("title", "description")
HEADER = ("rubric", "locale", "source_version")
#: A role's ``title`` may be spelled ``name`` in a translation, like every other
#: element's name (the app's loader accepts both).
ROLE_ALIASES = {"name": "title"}


def _texts(source: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: source[field] for field in fields if source.get(field) is not None}


def _by_id(elements: list[dict[str, Any]], build: Any) -> dict[str, Any]:
    return {element["id"]: build(element) for element in elements}


def _behavior_level(level: dict[str, Any]) -> dict[str, Any]:
    tree = _texts(level, BEHAVIOR_LEVEL_TEXT)
    tree["items"] = {item["id"]: item["text"] for item in level["items"]}
    if level.get("actions"):
        tree["actions"] = list(level["actions"])
    return tree


def _behavior(behavior: dict[str, Any]) -> dict[str, Any]:
    tree = _texts(behavior, BEHAVIOR_TEXT)
    tree["levels"] = {key: _behavior_level(value) for key, value in behavior["levels"].items()}
    return tree


def _competency(competency: dict[str, Any]) -> dict[str, Any]:
    tree = _texts(competency, COMPETENCY_TEXT)
    if competency.get("levels"):
        levels = competency["levels"].items()
        tree["levels"] = {key: _texts(value, ("summary",)) for key, value in levels}
    tree["behaviors"] = _by_id(competency["behaviors"], _behavior)
    return tree


def expected_tree(rubric: dict[str, Any]) -> dict[str, Any]:
    """The text fields of a rubric document, shaped as its translation must be."""
    tree = _texts(rubric, RUBRIC_TEXT)
    labels = (rubric.get("scale") or {}).get("labels")
    if labels:
        tree["scale"] = {"labels": {str(key): value for key, value in labels.items()}}
    tree["levels"] = _by_id(rubric["levels"], lambda level: _texts(level, LEVEL_TEXT))
    tree["competencies"] = _by_id(rubric["competencies"], _competency)
    if rubric.get("roles"):
        tree["roles"] = _by_id(rubric["roles"], lambda role: _texts(role, ROLE_TEXT))
    return tree


def _normalise(node: Any) -> Any:
    """Mapping keys as strings, so YAML's ``1:`` and ``"1":`` compare equal."""
    if isinstance(node, dict):
        return {str(key): _normalise(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_normalise(value) for value in node]
    return node


def compare(expected: Any, actual: Any, path: str, problems: list[str], notes: list[str]) -> None:
    """Append a message per difference between the two trees, each with its key path."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            problems.append(f"{path}: expected a mapping, found {type(actual).__name__}")
            return
        for key in expected.keys() - actual.keys():
            problems.append(f"{path}.{key}: missing")
        for key in actual.keys() - expected.keys():
            problems.append(f"{path}.{key}: extra key (not in the rubric)")
        for key in expected.keys() & actual.keys():
            compare(expected[key], actual[key], f"{path}.{key}", problems, notes)
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            problems.append(f"{path}: expected a list, found {type(actual).__name__}")
            return
        if len(expected) != len(actual):
            problems.append(f"{path}: {len(actual)} entries, the rubric has {len(expected)}")
        for index, (source, text) in enumerate(zip(expected, actual, strict=False)):
            compare(source, text, f"{path}[{index}]", problems, notes)
    elif not isinstance(actual, str) or not actual.strip():
        problems.append(f"{path}: expected non-empty text, found {actual!r}")
    elif actual.strip() == str(expected).strip():
        notes.append(f"{path}: same text as the rubric ({actual!r})")


def check(rubric: dict[str, Any], translation: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Problems (the translation is wrong) and notes (worth a look) for one translation."""
    problems: list[str] = []
    notes: list[str] = []
    translation = _normalise(translation)
    roles = translation.get("roles")
    if isinstance(roles, dict):
        for role in roles.values():
            for alias, field in ROLE_ALIASES.items():
                if isinstance(role, dict) and alias in role and field not in role:
                    role[field] = role.pop(alias)
    for key in HEADER:
        if not translation.get(key):
            problems.append(f"{key}: missing")
    if translation.get("rubric") and translation["rubric"] != rubric["id"]:
        problems.append(f"rubric: {translation['rubric']!r} is not {rubric['id']!r}")
    version = str(rubric["version"])
    if translation.get("source_version") and str(translation["source_version"]) != version:
        notes.append(f"source_version: {translation['source_version']!r}, rubric is {version!r}")
    body = {key: value for key, value in translation.items() if key not in HEADER}
    compare(expected_tree(rubric), body, "", problems, notes)
    problems = [problem.removeprefix(".") for problem in problems]
    return sorted(problems), sorted(note.removeprefix(".") for note in notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("rubric", type=Path, help="the English rubric YAML")
    parser.add_argument("translation", type=Path, help="its translation YAML")
    parser.add_argument("--notes", action="store_true", help="also list texts left as in English")
    args = parser.parse_args(argv)
    rubric = yaml.safe_load(args.rubric.read_text(encoding="utf-8"))
    translation = yaml.safe_load(args.translation.read_text(encoding="utf-8"))
    problems, notes = check(rubric, translation or {})
    for problem in problems:
        print(f"{args.translation}: {problem}")
    if args.notes:
        for note in notes:
            print(f"{args.translation}: note: {note}")
    print(f"{len(problems)} problem(s), {len(notes)} note(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
