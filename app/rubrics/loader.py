"""Read rubric YAML files into validated :class:`~app.rubrics.schemas.Rubric` models.

Every failure becomes a :class:`RubricFileError` naming the file and listing
*all* located problems, so an author fixes a file in one pass and nobody ever
sees a traceback. The content hash is taken over the validated model (not the
raw bytes), so reformatting or commenting a file does not count as a change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.rubrics.checks import Problem, check_rubric
from app.rubrics.safe_yaml import DEFAULT_BUDGET, YamlBudget, YamlRefused, load_yaml_file
from app.rubrics.schemas import Rubric

#: A locale code as a file name or a translation's ``locale:`` spells it: ``de``, ``de-AT``.
LOCALE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_](?:[A-Za-z]{2}|[A-Za-z]{4}))?$")
#: Problems printed per file before "... and N more": enough to fix it, not a flood.
MAX_REPORTED_PROBLEMS = 100


class RubricFileError(Exception):
    """A rubric file that cannot be used; ``problems`` says where and why."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.path}: {len(self.problems)} problem(s)"]
        lines += [f"  {self.path}: {problem}" for problem in self.problems[:MAX_REPORTED_PROBLEMS]]
        if len(self.problems) > MAX_REPORTED_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_REPORTED_PROBLEMS} more problem(s)")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class LoadedRubric:
    rubric: Rubric
    path: Path
    content_hash: str


def _location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def content_hash(rubric: Rubric) -> str:
    """SHA-256 of the rubric's canonical JSON: what an assessment pins.

    An empty ``roles`` list is left out, so a rubric stored before roles
    existed keeps its hash; any role is content and changes it.
    """
    document = rubric.model_dump(mode="json")
    if not document["roles"]:
        del document["roles"]
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_rubric(data: Any, *, source: Path | str = "<rubric>") -> Rubric:
    """Validate already-parsed data (a dict from YAML or JSON) as a rubric."""
    if not isinstance(data, dict):
        raise RubricFileError(
            source, [Problem("", "the file must hold a mapping at the top level")]
        )
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(_location(err["loc"]), err["msg"])
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise RubricFileError(source, problems) from None
    problems = check_rubric(rubric)
    if problems:
        raise RubricFileError(source, problems)
    return rubric


def load_rubric_file(path: Path, *, budget: YamlBudget = DEFAULT_BUDGET) -> LoadedRubric:
    """Read and validate one YAML file, within the size, node and alias budget."""
    try:
        data = load_yaml_file(path, budget)
    except YamlRefused as exc:
        raise RubricFileError(path, [Problem(exc.where, exc.message)]) from None
    rubric = parse_rubric(data, source=path)
    return LoadedRubric(rubric=rubric, path=path, content_hash=content_hash(rubric))


def is_translation_file(path: Path) -> bool:
    """``product-owner.de.yaml`` is a translation, ``product-owner.yaml`` a rubric.

    Rubric ids have no dots, so a name whose last dotted part before the
    suffix is a locale code is a translation (docs/rubric-format.md).
    """
    stem = path.stem
    return "." in stem and bool(LOCALE_TAG.match(stem.rsplit(".", 1)[1]))


def yaml_files(directory: Path) -> list[Path]:
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def rubric_files(directory: Path) -> list[Path]:
    """The rubric files of a directory, in a stable order (not its translations,
    ``<id>.<locale>.yaml``: :mod:`app.rubrics.translation_files`)."""
    return [path for path in yaml_files(directory) if not is_translation_file(path)]


def load_rubric_files(paths: Iterable[Path]) -> tuple[list[LoadedRubric], list[RubricFileError]]:
    """Load many files, collecting every error rather than stopping at the first.

    Two files declaring the same rubric id and version are an error too.
    """
    loaded: list[LoadedRubric] = []
    errors: list[RubricFileError] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in paths:
        try:
            item = load_rubric_file(path)
        except RubricFileError as exc:
            errors.append(exc)
            continue
        key = (item.rubric.id, item.rubric.version)
        if key in seen:
            errors.append(
                RubricFileError(
                    path,
                    [
                        Problem(
                            "id",
                            f"rubric '{key[0]}' version {key[1]} is also defined in {seen[key]}",
                        )
                    ],
                )
            )
            continue
        seen[key] = path
        loaded.append(item)
    return loaded, errors


def load_rubric_dir(directory: Path) -> list[LoadedRubric]:
    """Load every rubric of a directory or raise the first file's error (start-up path)."""
    if not directory.is_dir():
        raise RubricFileError(directory, [Problem("", "the rubrics directory does not exist")])
    loaded, errors = load_rubric_files(rubric_files(directory))
    if errors:
        raise RubricLoadErrors(errors)
    return loaded


class RubricLoadErrors(Exception):
    """Several files failed; the message lists them all."""

    def __init__(self, errors: list[RubricFileError]):
        self.errors = errors
        super().__init__("\n".join(error.render() for error in errors))
