"""Translation files beside the rubrics: finding, reading and checking them together.

A translation file is ``<rubric-id>.<locale>.yaml`` in the rubrics directory
(:func:`app.rubrics.translations.is_translation_file`). Each is read within
the same YAML budget as a rubric, then checked against every loaded version
of the rubric it names: a file naming no loaded rubric is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.rubrics.checks import Problem
from app.rubrics.loader import LoadedRubric, is_translation_file, yaml_files
from app.rubrics.safe_yaml import DEFAULT_BUDGET, YamlBudget, YamlRefused, load_yaml_file
from app.rubrics.translation_checks import TranslationReport, check_translation
from app.rubrics.translations import (
    RubricTranslation,
    TranslationFileError,
    parse_translation,
)


def translation_files(directory: Path) -> list[Path]:
    return [path for path in yaml_files(directory) if is_translation_file(path)]


def load_translation_file(path: Path, *, budget: YamlBudget = DEFAULT_BUDGET) -> RubricTranslation:
    try:
        data = load_yaml_file(path, budget)
    except YamlRefused as exc:
        raise TranslationFileError(path, [Problem(exc.where, exc.message)]) from None
    return parse_translation(data, source=path)


@dataclass(frozen=True)
class CheckedTranslation:
    """One translation file against one loaded rubric version."""

    translation: RubricTranslation
    rubric: LoadedRubric
    report: TranslationReport

    def lines(self) -> list[str]:
        """The CLI's lines: ``file: warning: key path: message`` (errors likewise)."""
        rubric, locale = self.rubric.rubric, self.translation.locale
        where = f"{self.translation.path} ({locale}: {rubric.id} {rubric.version})"
        return [
            *(f"{where}: error: {problem}" for problem in self.report.errors),
            *(f"{where}: warning: {problem}" for problem in self.report.warnings),
        ]


@dataclass(frozen=True)
class TranslationsLoad:
    """Every translation file of a load: the checked ones and the unusable ones."""

    checked: list[CheckedTranslation]
    errors: list[TranslationFileError]

    @property
    def ok(self) -> bool:
        return not self.errors and all(item.report.ok for item in self.checked)

    def all_errors(self) -> list[TranslationFileError]:
        """Unreadable files and every translation with errors against its rubric."""
        return [
            *self.errors,
            *(
                TranslationFileError(item.translation.path, item.report.errors)
                for item in self.checked
                if not item.report.ok
            ),
        ]


def load_translations(paths: Iterable[Path], rubrics: list[LoadedRubric]) -> TranslationsLoad:
    """Read every file and check it against each loaded version of its rubric."""
    checked: list[CheckedTranslation] = []
    errors: list[TranslationFileError] = []
    for path in paths:
        try:
            translation = load_translation_file(path)
        except TranslationFileError as exc:
            errors.append(exc)
            continue
        targets = [item for item in rubrics if item.rubric.id == translation.rubric_id]
        if not targets:
            known = ", ".join(sorted({item.rubric.id for item in rubrics})) or "none"
            errors.append(
                TranslationFileError(
                    path,
                    [
                        Problem(
                            "rubric",
                            f"no rubric '{translation.rubric_id}' is loaded (the rubrics: {known})",
                        )
                    ],
                )
            )
            continue
        checked += [
            CheckedTranslation(translation, item, check_translation(item.rubric, translation))
            for item in targets
        ]
    return TranslationsLoad(checked, errors)
