"""A translation against its rubric: what is missing or extra, and the translated rubric.

Both are pure. A *missing* text is a warning: the page shows the rubric's own
string there (the fallback is string by string). An *extra* one (a key the
rubric does not have: a renamed id, a typo), an action list of another
length and a translation of another rubric are errors, because the text
would never be shown or would be shown in the wrong place. A
``source_version`` other than the rubric's is a warning: strings may be stale.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from app.rubrics.checks import Problem
from app.rubrics.schemas import Rubric
from app.rubrics.translations import RubricTranslation, rubric_texts, text_slots

_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


@dataclass(frozen=True)
class TranslationReport:
    """Every problem of one translation against one rubric version, by key path."""

    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _list_of(path: str) -> str | None:
    found = _INDEX.match(path)
    return found.group(1) if found else None


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """``1.10`` after ``1.9``: numeric parts compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


def check_translation(rubric: Rubric, translation: RubricTranslation) -> TranslationReport:
    """Missing keys (warnings), extra keys and wrong list lengths (errors), stale source."""
    report = TranslationReport()
    if translation.rubric_id != rubric.id:
        report.errors.append(
            Problem("rubric", f"translates '{translation.rubric_id}', not '{rubric.id}'")
        )
        return report
    if translation.source_version != rubric.version:
        older = _version_key(translation.source_version) < _version_key(rubric.version)
        report.warnings.append(
            Problem(
                "source_version",
                f"written against version {translation.source_version}, the rubric is "
                f"{rubric.version}" + (": strings may be stale" if older else ""),
            )
        )
    own = rubric_texts(rubric.model_dump())
    own_lists = Counter(base for path in own if (base := _list_of(path)))
    theirs_lists = Counter(base for path in translation.texts if (base := _list_of(path)))
    for base in sorted(set(own_lists) & set(theirs_lists)):
        if own_lists[base] != theirs_lists[base]:
            report.errors.append(
                Problem(
                    base,
                    f"{theirs_lists[base]} entries, the rubric has {own_lists[base]} "
                    "(same count and order)",
                )
            )
    wrong_length = {b for b in own_lists if b in theirs_lists and own_lists[b] != theirs_lists[b]}
    for path in own:
        base = _list_of(path)
        if path in translation.texts or base in wrong_length:
            continue
        if base is not None and base not in theirs_lists:
            if path == f"{base}[0]":
                report.warnings.append(Problem(base, "missing (the rubric's own text is shown)"))
            continue
        report.warnings.append(Problem(path, "missing (the rubric's own text is shown)"))
    for path in translation.texts:
        if path not in own and _list_of(path) not in wrong_length:
            report.errors.append(Problem(path, "not in the rubric (extra key)"))
    return report


def translate_rubric(rubric: Rubric, translation: RubricTranslation | None) -> Rubric:
    """``rubric`` with the translation's texts, each falling back to the rubric's own.

    Ids, orders, the scale's values and the scoring rules are untouched, so
    scores are identical in every locale. Texts whose path the translation
    lacks (or that belongs to a list of another length) stay as they are.
    """
    if translation is None or translation.rubric_id != rubric.id or not translation.texts:
        return rubric
    document = rubric.model_dump()
    texts = translation.texts
    own_lists = Counter(base for path, _, _ in text_slots(document) if (base := _list_of(path)))
    theirs_lists = Counter(base for path in texts if (base := _list_of(path)))
    for path, holder, key in text_slots(document):
        base = _list_of(path)
        if path in texts and (base is None or own_lists[base] == theirs_lists[base]):
            holder[key] = texts[path]
    return type(rubric).model_validate(document)
