"""Translations as the ``translations`` sheet of a rubric spreadsheet, and back.

One row per translated text: ``locale``, ``source_version``, ``key`` (the key
path of :mod:`app.rubrics.translations`) and ``text``. The sheet is written
only when the rubric has translations, and read back into the same texts (so
the same translation hash): lossless by construction. Every problem of a
translation read back is located at its sheet row, like the rubric's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.rubrics.schemas import Rubric
from app.rubrics.tables import Table
from app.rubrics.tables_import import CellProblem, RawRow, cell_text
from app.rubrics.translation_checks import check_translation
from app.rubrics.translations import (
    RubricTranslation,
    TranslationFileError,
    translation_from_texts,
)

SHEET = "translations"
COLUMNS = ["locale", "source_version", "key", "text"]


def translations_table(translations: Iterable[RubricTranslation]) -> Table:
    table = Table(list(COLUMNS))
    for translation in sorted(translations, key=lambda t: t.locale):
        table.rows += [
            [translation.locale, translation.source_version, key, text]
            for key, text in translation.texts.items()
        ]
    return table


def _cell(row: RawRow, column: str) -> str | None:
    value: Any = row.cells.get(column)
    return cell_text(value)


def translations_from_rows(
    rows: list[RawRow], rubric: Rubric, *, source: str
) -> tuple[list[RubricTranslation], list[CellProblem]]:
    """The translations of the sheet, checked against the rubric read with them.

    Missing texts are fine (the rubric's own are shown); an extra key, a
    list of another length, a key given twice or two source versions for one
    locale are problems, each at its row.
    """
    problems: list[CellProblem] = []
    by_locale: dict[str, tuple[str, dict[str, str], dict[str, int]]] = {}
    for row in rows:
        locale, version, key, text = (_cell(row, column) for column in COLUMNS)
        missing = [c for c, v in zip(COLUMNS, (locale, version, key, text), strict=True) if not v]
        if missing:
            problems += [CellProblem(SHEET, row.number, c, "must not be empty") for c in missing]
            continue
        assert locale and version and key and text
        first_version, texts, where = by_locale.setdefault(locale, (version, {}, {}))
        if version != first_version:
            problems.append(
                CellProblem(
                    SHEET, row.number, "source_version", "differs from the locale's first row"
                )
            )
        elif key in texts:
            problems.append(CellProblem(SHEET, row.number, "key", "given twice for this locale"))
        else:
            texts[key] = text
            where[key] = row.number
    found: list[RubricTranslation] = []
    for locale, (version, texts, where) in by_locale.items():
        try:
            translation = translation_from_texts(
                rubric_id=rubric.id,
                locale=locale,
                source_version=version,
                texts=texts,
                source=source,
            )
        except TranslationFileError as exc:
            problems += [_located(p.path, p.message, where) for p in exc.problems]
            continue
        errors = check_translation(rubric, translation).errors
        problems += [_located(p.path, p.message, where) for p in errors]
        if not errors:
            found.append(translation)
    return found, problems


def _located(path: str, message: str, where: dict[str, int]) -> CellProblem:
    """A key path's problem at the first row whose key is (or lies under) that path."""
    row = where.get(path) or next(
        (n for key, n in where.items() if key.startswith(f"{path}.") or key.startswith(f"{path}[")),
        None,
    )
    return CellProblem(SHEET, row, "key", f"{path}: {message}")
