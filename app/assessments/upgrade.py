"""Planning the move of an in-progress assessment to a newer version of its rubric: pure.

A new rubric version may reword, move, add or remove items. An answer may
only carry over when it still answers the same question on the same scale,
so an item is **unchanged** between two versions when

* its id exists in both,
* its text is the same (a reworded statement is a new question),
* it sits in the same place for scoring: the same competency, behavior and
  level ids (the level an item counts towards is how it is scored), and
* the response scale is the same (``min``, ``max``, ``allow_na`` and the
  labels): a 4 on a relabelled or longer scale does not mean what it meant.

What does *not* change an item: the wording of descriptors, actions, level
or behavior names, the order of items, and the scoring rules (threshold,
overall): they change what a result says, not what an answer means.

:func:`plan_upgrade` takes both rubrics and the saved answers and says which
answers are kept, which are dropped (the item was removed or changed) and
which items of the new version must be answered anew (new or changed, in
questionnaire order). It touches no database; the service applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.rubrics.schemas import ItemRef, Rubric


class Change(StrEnum):
    """Why an item of the new version must be answered (again)."""

    new = "new"
    changed = "changed"


@dataclass(frozen=True, slots=True)
class ItemToAnswer:
    """An item of the new version whose old answer (if any) does not carry over."""

    item_id: str
    change: Change
    text: str


@dataclass(frozen=True, slots=True)
class UpgradePlan:
    """What moving answers from ``from_version`` to ``to_version`` keeps and asks anew."""

    rubric_id: str
    from_version: str
    to_version: str
    #: Answered items whose answers carry over, in the new version's order.
    kept: tuple[str, ...]
    #: Answered items whose answers are discarded: removed from, or changed in, the new version.
    dropped: tuple[str, ...]
    #: Items of the new version that are new or changed, in questionnaire order.
    to_answer: tuple[ItemToAnswer, ...]
    #: Whether the response scale differs (then no answer is kept).
    scale_changed: bool

    @property
    def to_answer_ids(self) -> tuple[str, ...]:
        return tuple(item.item_id for item in self.to_answer)

    def document(self) -> dict[str, Any]:
        """The plan as plain JSON data (``UpgradePlanOut``)."""
        return {
            "rubric_id": self.rubric_id,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "kept": list(self.kept),
            "dropped": list(self.dropped),
            "to_answer": [
                {"item_id": i.item_id, "change": i.change.value, "text": i.text}
                for i in self.to_answer
            ],
            "scale_changed": self.scale_changed,
        }


def _placement(ref: ItemRef) -> tuple[str, str, str, str]:
    return (ref.item.text, ref.competency.id, ref.behavior.id, ref.level.id)


def same_scale(old: Rubric, new: Rubric) -> bool:
    """Whether an answer on ``old``'s scale means the same on ``new``'s."""
    return old.scale == new.scale


def plan_upgrade(
    old_rubric: Rubric, new_rubric: Rubric, answers: Mapping[str, object]
) -> UpgradePlan:
    """Which ``answers`` (item id -> saved value) survive the move to ``new_rubric``.

    See the module docstring for what "unchanged" means. ``answers`` may hold
    ids the old rubric does not know (they are dropped, never kept).
    """
    old_items = old_rubric.items_by_id
    scale_kept = same_scale(old_rubric, new_rubric)

    def unchanged(ref: ItemRef) -> bool:
        before = old_items.get(ref.item.id)
        return scale_kept and before is not None and _placement(before) == _placement(ref)

    kept: list[str] = []
    to_answer: list[ItemToAnswer] = []
    for ref in new_rubric.iter_items():
        item_id = ref.item.id
        if unchanged(ref):
            if answers.get(item_id) is not None:
                kept.append(item_id)
            continue
        change = Change.changed if item_id in old_items else Change.new
        to_answer.append(ItemToAnswer(item_id, change, ref.item.text))
    carried = set(kept)
    dropped = [i for i, v in answers.items() if v is not None and i not in carried]
    return UpgradePlan(
        rubric_id=new_rubric.id,
        from_version=old_rubric.version,
        to_version=new_rubric.version,
        kept=tuple(kept),
        dropped=tuple(sorted(dropped)),
        to_answer=tuple(to_answer),
        scale_changed=not scale_kept,
    )
