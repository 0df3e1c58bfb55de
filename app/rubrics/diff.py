"""What changed between two versions of a rubric: a pure function over parsed rubrics.

Elements are matched by their ids, never by position or text, because ids are
what assessments pin answers to: a behavior that moved to another competency
is *moved* (not removed and added), an item whose wording was rewritten is
*changed*, and a behavior that gained or lost a level of its (possibly sparse)
ladder shows as a descriptor *added* or *removed*. The admin diff page and
``GET /api/v1/rubrics/{id}/diff`` both show this result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.rubrics.schemas import Behavior, BehaviorLevel, Competency, Rubric

ChangeKind = Literal["added", "removed", "changed", "moved"]
Element = Literal["rubric", "level", "competency", "behavior", "descriptor", "item"]

#: The order elements are listed in, broad to fine.
ELEMENTS: tuple[Element, ...] = ("rubric", "level", "competency", "behavior", "descriptor", "item")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's value before and after, as display text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Change:
    """One element added, removed, changed in place or moved elsewhere.

    ``id`` is the element's id (``behavior/level`` for a descriptor);
    ``where`` is its place in the newer rubric (the older one when removed).
    """

    kind: ChangeKind
    element: Element
    id: str
    where: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class RubricDiff:
    rubric_id: str
    from_version: str
    to_version: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def of(self, element: Element) -> list[Change]:
        return [change for change in self.changes if change.element == element]

    @property
    def counts(self) -> dict[str, int]:
        """How many changes of each kind (for a one-line summary)."""
        counts = dict.fromkeys(("added", "removed", "changed", "moved"), 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose display text differs, in ``after``'s key order then ``before``'s."""
    names = list(dict.fromkeys([*after, *before]))
    pairs = ((name, _text(before.get(name)), _text(after.get(name))) for name in names)
    return tuple(FieldChange(name, old, new) for name, old, new in pairs if old != new)


def _matched(
    element: Element,
    before: Mapping[str, tuple[str, dict[str, Any]]],
    after: Mapping[str, tuple[str, dict[str, Any]]],
    *,
    place: frozenset[str] = frozenset(),
) -> Iterable[Change]:
    """Changes between two id-keyed maps of (where, fields).

    ``place`` names the fields that say where the element sits: when one
    differs, the element is *moved* (its other field changes ride along).
    """
    for key, (where, values) in after.items():
        if key not in before:
            yield Change("added", element, key, where)
            continue
        fields = _fields(before[key][1], values)
        if fields:
            moved = any(f.field in place for f in fields)
            yield Change("moved" if moved else "changed", element, key, where, fields)
    for key, (where, _values) in before.items():
        if key not in after:
            yield Change("removed", element, key, where)


def _meta(rubric: Rubric) -> dict[str, tuple[str, dict[str, Any]]]:
    data = rubric.model_dump(mode="json", include={"title", "description", "scale", "scoring"})
    return {rubric.id: (rubric.title, data)}


def _levels(rubric: Rubric) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        level.id: (level.name, level.model_dump(mode="json", exclude={"id"}))
        for level in rubric.levels
    }


def _competency_fields(competency: Competency) -> dict[str, Any]:
    data: dict[str, Any] = competency.model_dump(
        mode="json", include={"name", "purpose", "description"}
    )
    for level_id, level in competency.levels.items():
        data[f"levels.{level_id}.summary"] = level.summary
    return data


def _competencies(rubric: Rubric) -> dict[str, tuple[str, dict[str, Any]]]:
    return {c.id: (c.name, _competency_fields(c)) for c in rubric.competencies}


def _behaviors(rubric: Rubric) -> dict[str, tuple[Competency, Behavior]]:
    return {b.id: (c, b) for c in rubric.competencies for b in c.behaviors}


def _behavior_rows(rubric: Rubric) -> dict[str, tuple[str, dict[str, Any]]]:
    rows = {}
    for key, (competency, behavior) in _behaviors(rubric).items():
        data = behavior.model_dump(mode="json", include={"name", "description", "rater_prompt"})
        rows[key] = (f"{competency.id} > {behavior.id}", {"competency": competency.id, **data})
    return rows


def _cell_fields(cell: BehaviorLevel) -> dict[str, Any]:
    return cell.model_dump(mode="json", include={"descriptor", "rater_descriptor", "actions"})


def _cells(rubric: Rubric, shared: set[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each (behavior, level) cell of the behaviors both versions have."""
    cells = {}
    for key, (competency, behavior) in _behaviors(rubric).items():
        if key not in shared:
            continue
        for level in rubric.behavior_levels(behavior):
            where = f"{competency.id} > {behavior.id} > {level.id}"
            cells[f"{key}/{level.id}"] = (where, _cell_fields(behavior.levels[level.id]))
    return cells


def _items(rubric: Rubric) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        ref.item.id: (
            f"{ref.competency.id} > {ref.behavior.id} > {ref.level.id}",
            {"behavior": ref.behavior.id, "level": ref.level.id, "text": ref.item.text},
        )
        for ref in rubric.iter_items()
    }


_BEHAVIOR_PLACE = frozenset({"competency"})
_ITEM_PLACE = frozenset({"behavior", "level"})


def diff_rubrics(old: Rubric, new: Rubric) -> RubricDiff:
    """Every difference from ``old`` to ``new``, broad elements first, each in ``new``'s order."""
    shared = set(_behaviors(old)) & set(_behaviors(new))
    changes = [
        *_matched("rubric", _meta(old), _meta(new)),
        *_matched("level", _levels(old), _levels(new)),
        *_matched("competency", _competencies(old), _competencies(new)),
        *_matched("behavior", _behavior_rows(old), _behavior_rows(new), place=_BEHAVIOR_PLACE),
        *_matched("descriptor", _cells(old, shared), _cells(new, shared)),
        *_matched("item", _items(old), _items(new), place=_ITEM_PLACE),
    ]
    return RubricDiff(old.id, old.version, new.version, tuple(changes))
