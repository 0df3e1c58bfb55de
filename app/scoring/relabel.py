"""A stored result's texts in another wording of its rubric (a translation).

A result stores, beside its numbers, the names, descriptors and actions of
the rubric it was scored against, as they read at submission. Shown in
another locale, the same result quotes the translated rubric instead: the
texts are looked up again by id, the numbers are never touched.
"""

from __future__ import annotations

import copy
from typing import Any

from app.rubrics.schemas import Behavior, Rubric


def relabelled(result: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    """A copy of a stored result (its JSON) quoting ``rubric``'s texts, found by id.

    Anything the rubric does not name (an id it lacks) keeps the stored text.
    """
    data = copy.deepcopy(result)
    competencies = {c.id: c for c in rubric.competencies}
    for competency in data.get("competencies", []):
        spec = competencies.get(competency.get("id"))
        if spec is None:
            continue
        competency["name"] = spec.name
        competency["level_name"] = rubric.level_name(competency["level"])
        behaviors = {b.id: b for b in spec.behaviors}
        for behavior in competency.get("behaviors", []):
            if (found := behaviors.get(behavior.get("id"))) is not None:
                _behavior(behavior, found, rubric)
    return data


def _behavior(data: dict[str, Any], behavior: Behavior, rubric: Rubric) -> None:
    data["name"] = behavior.name
    data["level_name"] = rubric.level_name(data["level"])
    for key in ("current", "next"):
        step = data.get(key)
        spec = behavior.levels.get(step["level"]) if step else None
        if step is None or spec is None:
            continue
        step["descriptor"] = spec.descriptor
        if key == "next" and len(step.get("actions", ())) == len(spec.actions):
            step["actions"] = list(spec.actions)
