"""Role profiles: the questionnaire a role limits, and the gap to its target levels.

Both are pure functions of the rubric, so the questionnaire, scoring, the
results page and the PDF report cannot disagree about what a role asks or
what its gap is. The rules are in docs/rubric-format.md (Roles).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from app.core.i18n import N_
from app.rubrics.schemas import NOT_YET, Role, Rubric

GapStatus = Literal["above", "at", "below", "not_assessed", "no_target"]

#: How each status reads on a page or in a report.
GAP_LABELS: dict[str, str] = {
    "above": N_("Above target"),
    "at": N_("At target"),
    "below": N_("Below target"),
    "not_assessed": N_("Not assessed"),
    "no_target": N_("No target"),
}


def limited_to_role(rubric: Rubric, role: Role) -> Rubric:
    """The rubric with only the role's competencies, in the rubric's order.

    Built with ``model_construct`` from the already validated parts (a fresh
    object, so no derived lookup of the full rubric is carried over).
    """
    return limited_to_competencies(rubric, set(role.competencies))


def limited_to_competencies(rubric: Rubric, wanted: set[str]) -> Rubric:
    """The rubric with only the ``wanted`` competencies, in the rubric's order."""
    fields = {name: getattr(rubric, name) for name in type(rubric).model_fields}
    fields["competencies"] = [c for c in rubric.competencies if c.id in wanted]
    return type(rubric).model_construct(**fields)


@dataclass(frozen=True, slots=True)
class BehaviorGap:
    """Where one behavior stands against the role's target."""

    competency_id: str
    behavior_id: str
    behavior_name: str
    #: The target level's name, or None when the role sets no target.
    target: str | None
    #: The current level's name ("Not yet" for 0), or None when not assessed.
    current: str | None
    status: GapStatus
    #: Levels between current and target: positive above, negative below, 0 at.
    levels: int | None

    @property
    def label(self) -> str:
        """Status in words, with the distance: "Below target by 2 levels"."""
        text = GAP_LABELS[self.status]
        if self.levels:
            steps = abs(self.levels)
            text += f" by {steps} level{'s' if steps != 1 else ''}"
        return text


def _ladder_position(rubric: Rubric, order: int) -> int:
    """A level order's step on the ladder: 0 for "Not yet", 1 for the lowest level, ...

    Orders need not be contiguous (1, 2, 5), so distances count levels, not orders.
    """
    if order <= 0:
        return 0
    for position, level in enumerate(rubric.ordered_levels, start=1):
        if level.order >= order:
            return position
    return len(rubric.ordered_levels)


def role_gaps(rubric: Rubric, role: Role, current: Mapping[str, int]) -> list[BehaviorGap]:
    """The gap per behavior of the role's competencies, in questionnaire order.

    ``current`` maps behavior id to the level order scoring gave it (0 = not
    yet); a behavior absent from it was not assessed. A behavior whose target
    is absent has no gap ("no_target"), whatever its level.
    """
    gaps = []
    wanted = set(role.competencies)
    for competency in rubric.competencies:
        if competency.id not in wanted:
            continue
        for behavior in competency.behaviors:
            target_id = role.targets.get(behavior.id)
            target = rubric.levels_by_id[target_id] if target_id else None
            order = current.get(behavior.id)
            status: GapStatus
            distance: int | None = None
            if order is None:
                status = "not_assessed"
            elif target is None:
                status = "no_target"
            else:
                distance = _ladder_position(rubric, order) - _ladder_position(rubric, target.order)
                status = "above" if distance > 0 else "below" if distance < 0 else "at"
            gaps.append(
                BehaviorGap(
                    competency_id=competency.id,
                    behavior_id=behavior.id,
                    behavior_name=behavior.name,
                    target=target.name if target else None,
                    current=None if order is None else rubric.level_name(order) or NOT_YET,
                    status=status,
                    levels=distance,
                )
            )
    return gaps
