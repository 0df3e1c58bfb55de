"""Whole-document checks on a structurally valid rubric.

Pydantic validates each node on its own; the rules here need the whole
document (ids unique across it, level keys that must name a framework level,
a threshold inside the scale). Each problem carries the path of the offending
field so an author can find it: ``competencies[0].behaviors[2].levels.guru``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.rubrics.schemas import Rubric


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a rubric file, located by a dotted field path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _duplicates(values: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dupes: set[str] = set()
    for value in values:
        (dupes if value in seen else seen).add(value)
    return dupes


def check_rubric(rubric: Rubric, *, min_actions: int = 0) -> list[Problem]:
    """Return every cross-reference problem in ``rubric`` (empty when it is sound).

    ``min_actions`` lets a stricter caller (the shipped rubric's own test) demand
    coaching actions on every behavior level; authors may leave them out.
    """
    problems: list[Problem] = []
    problems += _check_scale(rubric)
    problems += _check_levels(rubric)
    known_levels = {level.id for level in rubric.levels}

    competency_dupes = _duplicates(c.id for c in rubric.competencies)
    behavior_dupes = _duplicates(b.id for c in rubric.competencies for b in c.behaviors)
    item_dupes = _duplicates(
        item.id
        for c in rubric.competencies
        for b in c.behaviors
        for bl in b.levels.values()
        for item in bl.items
    )
    for ci, competency in enumerate(rubric.competencies):
        cpath = f"competencies[{ci}]"
        if competency.id in competency_dupes:
            problems.append(Problem(f"{cpath}.id", f"duplicate competency id '{competency.id}'"))
        for level_id in competency.levels:
            if level_id not in known_levels:
                problems.append(_unknown_level(f"{cpath}.levels.{level_id}", level_id, rubric))
        for bi, behavior in enumerate(competency.behaviors):
            bpath = f"{cpath}.behaviors[{bi}]"
            if behavior.id in behavior_dupes:
                problems.append(Problem(f"{bpath}.id", f"duplicate behavior id '{behavior.id}'"))
            for level_id, behavior_level in behavior.levels.items():
                lpath = f"{bpath}.levels.{level_id}"
                if level_id not in known_levels:
                    problems.append(_unknown_level(lpath, level_id, rubric))
                if len(behavior_level.actions) < min_actions:
                    problems.append(
                        Problem(
                            f"{lpath}.actions", f"needs at least {min_actions} coaching actions"
                        )
                    )
                for ii, item in enumerate(behavior_level.items):
                    if item.id in item_dupes:
                        problems.append(
                            Problem(
                                f"{lpath}.items[{ii}].id",
                                f"duplicate item id '{item.id}' (unique across the rubric)",
                            )
                        )
    problems += _check_roles(rubric)
    return problems


def _check_roles(rubric: Rubric) -> list[Problem]:
    """Each role names existing competencies and targets their behaviors at levels they define."""
    problems: list[Problem] = []
    competencies = {c.id: c for c in rubric.competencies}
    role_dupes = _duplicates(role.id for role in rubric.roles)
    for ri, role in enumerate(rubric.roles):
        rpath = f"roles[{ri}]"
        if role.id in role_dupes:
            problems.append(Problem(f"{rpath}.id", f"duplicate role id '{role.id}'"))
        for ci in sorted(_positions_of_duplicates(role.competencies)):
            problems.append(Problem(f"{rpath}.competencies[{ci}]", "listed twice"))
        behaviors = {}
        for ci, competency_id in enumerate(role.competencies):
            if competency_id not in competencies:
                known = ", ".join(competencies)
                problems.append(
                    Problem(
                        f"{rpath}.competencies[{ci}]",
                        f"unknown competency '{competency_id}' (the rubric's are: {known})",
                    )
                )
                continue
            behaviors.update({b.id: b for b in competencies[competency_id].behaviors})
        for behavior_id, level_id in role.targets.items():
            tpath = f"{rpath}.targets.{behavior_id}"
            behavior = behaviors.get(behavior_id)
            if behavior is None:
                problems.append(
                    Problem(
                        tpath,
                        f"unknown behavior '{behavior_id}' "
                        "(not a behavior of the role's competencies)",
                    )
                )
            elif level_id not in rubric.levels_by_id:
                problems.append(_unknown_level(tpath, level_id, rubric))
            elif level_id not in behavior.levels:
                problems.append(
                    Problem(tpath, f"the behavior does not describe level '{level_id}'")
                )
    return problems


def _positions_of_duplicates(values: list[str]) -> set[int]:
    seen: set[str] = set()
    positions = set()
    for i, value in enumerate(values):
        if value in seen:
            positions.add(i)
        seen.add(value)
    return positions


def _unknown_level(path: str, level_id: str, rubric: Rubric) -> Problem:
    known = ", ".join(level.id for level in rubric.ordered_levels)
    return Problem(path, f"unknown level '{level_id}' (the rubric's levels are: {known})")


def _check_scale(rubric: Rubric) -> list[Problem]:
    scale, problems = rubric.scale, []
    if scale.min >= scale.max:
        problems.append(
            Problem("scale.max", f"must be greater than scale.min ({scale.min}), got {scale.max}")
        )
    for value in scale.labels:
        if not scale.min <= value <= scale.max:
            problems.append(
                Problem(f"scale.labels.{value}", f"outside the scale {scale.min}..{scale.max}")
            )
    threshold = rubric.scoring.threshold
    if not scale.min < threshold <= scale.max:
        problems.append(
            Problem(
                "scoring.threshold",
                f"must lie above scale.min and at most scale.max ({scale.min} < t <= {scale.max}), "
                f"got {threshold}",
            )
        )
    return problems


def _check_levels(rubric: Rubric) -> list[Problem]:
    problems = []
    id_dupes = _duplicates(level.id for level in rubric.levels)
    order_dupes = _duplicates(str(level.order) for level in rubric.levels)
    for i, level in enumerate(rubric.levels):
        if level.id in id_dupes:
            problems.append(Problem(f"levels[{i}].id", f"duplicate level id '{level.id}'"))
        if str(level.order) in order_dupes:
            problems.append(Problem(f"levels[{i}].order", f"duplicate level order {level.order}"))
    return problems
