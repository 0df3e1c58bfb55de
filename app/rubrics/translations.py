"""Rubric translations: the sibling file format, its texts by key path, and its hash.

A translation is a file ``<rubric-id>.<locale>.yaml`` beside the rubric
(docs/rubric-format.md, Translations). It holds every human-readable text of
the rubric at the same path, with lists of objects that have an id (levels,
competencies, behaviors, items, roles) as mappings keyed by that id and plain
lists of text (a level's actions) as lists of the same length, so a
translation never depends on the order of anything but actions.

Inside the application a translation is flat: ``texts`` maps a *key path*
(``competencies.craft.behaviors.planning.levels.novice.items.pl-1``,
``...actions[0]``, ``scale.labels.4``) to its text. The rubric's own texts
have the same paths (:func:`rubric_texts`), so missing and extra keys are
set differences (:mod:`app.rubrics.translation_checks`), the spreadsheet
carries them as rows, and the content hash is taken over them.

This module is pure: no database, no files beyond what the caller passes in.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.i18n import normalize
from app.rubrics.checks import Problem
from app.rubrics.loader import LOCALE_TAG, RubricFileError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: The most texts a translation may hold: far above the largest rubric's (about 1,500).
MAX_TRANSLATION_TEXTS = 20_000

TEXT = "text"
LIST = "list"


@dataclass(frozen=True, slots=True)
class Keyed:
    """A mapping keyed by element id (or scale value), each value of shape ``of``."""

    of: Any


#: The shape of a translation file below its header; a dict is an object with exactly
#: these optional fields. It mirrors the text fields of app/rubrics/schemas.py.
_BEHAVIOR_LEVEL = {
    "descriptor": TEXT,
    "rater_descriptor": TEXT,
    "items": Keyed(TEXT),
    "actions": LIST,
}
_BEHAVIOR = {
    "name": TEXT,
    "description": TEXT,
    "rater_prompt": TEXT,
    "levels": Keyed(_BEHAVIOR_LEVEL),
}
_COMPETENCY = {
    "name": TEXT,
    "purpose": TEXT,
    "description": TEXT,
    "levels": Keyed({"summary": TEXT}),
    "behaviors": Keyed(_BEHAVIOR),
}
SHAPE: dict[str, Any] = {
    "title": TEXT,
    "description": TEXT,
    "scale": {"labels": Keyed(TEXT)},
    "levels": Keyed({"name": TEXT, "summary": TEXT}),
    "competencies": Keyed(_COMPETENCY),
    "roles": Keyed({"title": TEXT, "description": TEXT}),
}
HEADER = ("rubric", "locale", "source_version")
#: A role's ``title`` may be spelled ``name`` in a translation, like every other element's name.
ROLE_ALIASES = {"name": "title"}


@dataclass(frozen=True)
class RubricTranslation:
    """One locale's texts for one rubric, flat by key path."""

    rubric_id: str
    locale: str
    source_version: str
    texts: dict[str, str]
    path: str = "<translation>"

    @property
    def content_hash(self) -> str:
        return translation_hash(self)


def translation_hash(translation: RubricTranslation) -> str:
    """SHA-256 of the translation's canonical JSON: what a rendered report records.

    Kept apart from the rubric's own content hash: adding or fixing a
    translation never changes which rubric version an assessment pins.
    """
    document = {
        "rubric": translation.rubric_id,
        "locale": translation.locale,
        "source_version": translation.source_version,
        "texts": translation.texts,
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class TranslationFileError(RubricFileError):
    """A translation that cannot be used; ``problems`` say where and why (by key path)."""


def locale_code(value: str) -> str | None:
    """The normalized locale code (``de_AT``), or None when ``value`` is not one."""
    return normalize(value) if LOCALE_TAG.match(value) else None


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _key(raw: object) -> str | None:
    """A mapping key as a path segment: an id, or a scale value (YAML reads ``1:`` as int)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw)
    return raw if isinstance(raw, str) and raw.strip() else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _flatten(
    value: object, shape: Any, path: str, texts: dict[str, str], problems: list[Problem]
) -> None:
    """Walk ``value`` along ``shape``, adding its texts by path and its problems."""
    if shape == TEXT:
        text = _text(value)
        if text is None:
            problems.append(Problem(path, "must be non-empty text"))
        else:
            texts[path] = text
    elif shape == LIST:
        if not isinstance(value, list):
            problems.append(Problem(path, "must be a list of texts (same count and order)"))
            return
        for index, entry in enumerate(value):
            _flatten(entry, TEXT, f"{path}[{index}]", texts, problems)
    elif isinstance(shape, Keyed):
        if not isinstance(value, Mapping):
            problems.append(Problem(path, "must be a mapping keyed by id"))
            return
        for raw, entry in value.items():
            key = _key(raw)
            if key is None:
                problems.append(Problem(path, f"key {raw!r} is not an id"))
                continue
            _flatten(entry, shape.of, _join(path, key), texts, problems)
    else:
        _flatten_object(value, shape, path, texts, problems)


def _flatten_object(
    value: object, shape: dict[str, Any], path: str, texts: dict[str, str], problems: list[Problem]
) -> None:
    if not isinstance(value, Mapping):
        problems.append(Problem(path, "must be a mapping"))
        return
    is_role = path.startswith("roles.") and path.count(".") == 1
    for raw, entry in value.items():
        name = ROLE_ALIASES.get(raw, raw) if is_role and isinstance(raw, str) else raw
        if not isinstance(name, str) or name not in shape:
            known = ", ".join(shape)
            problems.append(
                Problem(_join(path, str(raw)), f"not a text of the rubric here (known: {known})")
            )
            continue
        _flatten(entry, shape[name], _join(path, name), texts, problems)


def parse_translation(data: Any, *, source: Path | str = "<translation>") -> RubricTranslation:
    """Validate already-parsed data (a dict from YAML) as a translation, or raise with every
    problem located by key path. Whether its keys exist in the rubric is checked later,
    against the rubric (:func:`app.rubrics.translation_checks.check_translation`)."""
    if not isinstance(data, Mapping):
        raise TranslationFileError(source, [Problem("", "the file must hold a mapping")])
    problems: list[Problem] = []
    header = {name: data.get(name) for name in HEADER}
    rubric_id = header["rubric"]
    if not isinstance(rubric_id, str) or not _SLUG.match(rubric_id):
        problems.append(Problem("rubric", "must be the id of the rubric it translates"))
    locale = locale_code(header["locale"]) if isinstance(header["locale"], str) else None
    if locale is None:
        problems.append(Problem("locale", "must be a locale code such as de or de-AT"))
    source_version = header["source_version"]
    if not isinstance(source_version, str) or not source_version.strip():
        problems.append(
            Problem(
                "source_version", 'must be the rubric version it was written against, quoted: "1.3"'
            )
        )
    texts: dict[str, str] = {}
    body = {key: value for key, value in data.items() if key not in HEADER}
    _flatten_object(body, SHAPE, "", texts, problems)
    if len(texts) > MAX_TRANSLATION_TEXTS:
        problems.append(Problem("", f"more than {MAX_TRANSLATION_TEXTS:,} texts"))
    if problems:
        raise TranslationFileError(source, problems)
    assert isinstance(rubric_id, str) and locale and isinstance(source_version, str)
    return RubricTranslation(rubric_id, locale, source_version.strip(), texts, str(source))


def translation_from_texts(
    *, rubric_id: str, locale: str, source_version: str, texts: Mapping[str, str], source: str
) -> RubricTranslation:
    """A translation from flat key paths (a spreadsheet, the database), checked the same way
    as a file: every path must be one a file could hold."""
    nested = unflatten(texts)
    return parse_translation(
        {"rubric": rubric_id, "locale": locale, "source_version": source_version, **nested},
        source=source,
    )


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def unflatten(texts: Mapping[str, str]) -> dict[str, Any]:
    """Key paths back into the nested shape of a file (``[n]`` entries as a list, by index).

    A path that clashes with another (a text where a mapping is expected)
    keeps the first value; :func:`parse_translation` then reports the shape.
    """
    root: dict[Any, Any] = {}
    for path, text in texts.items():
        segments: list[Any] = [
            name if index is None else int(index)
            for name, index in (m.groups() for m in _SEGMENT.finditer(path))
        ]
        node = root
        for segment in segments[:-1]:
            child = node.setdefault(segment, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            if segments:
                node.setdefault(segments[-1], text)
    return _lists(root)


def _lists(node: Any) -> Any:
    """Mappings keyed by list indices (ints) become lists in index order."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_lists(node[key]) for key in sorted(node)]
    return {key: _lists(value) for key, value in node.items()}


def rubric_texts(document: Mapping[str, Any]) -> dict[str, str]:
    """Every text of a rubric (its ``model_dump()``) by key path, in document order."""
    return {path: holder[key] for path, holder, key in text_slots(document)}


def text_slots(document: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """``(key path, container, key)`` of every text in a dumped rubric.

    The one walk over the rubric's text fields: :func:`rubric_texts` reads
    through it and :func:`app.rubrics.translation_checks.translate_rubric`
    writes through it, so the two can never disagree about a path.
    """
    for name in ("title", "description"):
        yield name, document, name
    for value in document.get("scale", {}).get("labels", {}):
        yield f"scale.labels.{value}", document["scale"]["labels"], value
    for level in document["levels"]:
        yield from _fields(f"levels.{level['id']}", level, ("name", "summary"))
    for competency in document["competencies"]:
        prefix = f"competencies.{competency['id']}"
        yield from _fields(prefix, competency, ("name", "purpose", "description"))
        for level_id, level in competency.get("levels", {}).items():
            yield from _fields(f"{prefix}.levels.{level_id}", level, ("summary",))
        for behavior in competency["behaviors"]:
            yield from _behavior_slots(f"{prefix}.behaviors.{behavior['id']}", behavior)
    for role in document.get("roles", []):
        yield from _fields(f"roles.{role['id']}", role, ("title", "description"))


def _behavior_slots(prefix: str, behavior: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    yield from _fields(prefix, behavior, ("name", "description", "rater_prompt"))
    for level_id, level in behavior["levels"].items():
        at = f"{prefix}.levels.{level_id}"
        yield from _fields(at, level, ("descriptor", "rater_descriptor"))
        for item in level["items"]:
            yield f"{at}.items.{item['id']}", item, "text"
        for index in range(len(level.get("actions", []))):
            yield f"{at}.actions[{index}]", level["actions"], index


def _fields(
    prefix: str, holder: dict[str, Any], names: tuple[str, ...]
) -> Iterator[tuple[str, Any, Any]]:
    for name in names:
        if holder.get(name) is not None:
            yield f"{prefix}.{name}", holder, name
