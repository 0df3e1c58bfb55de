"""Calibration between a self-assessment and a coach's view: pure functions.

Nothing here touches the database or the web: the review service, the pages
and the reports all call these with a validated :class:`Rubric` and plain
numbers, so every consumer computes the same flags and paths and the rules can
be tested with hand-made cases.

Levels are *orders* (integers) everywhere in this module, as in the scoring
result: ``0`` is "Not yet" (the lowest defined level is not demonstrated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.core.i18n import N_
from app.rubrics.schemas import NOT_YET, Behavior, Rubric
from app.scoring import overall_level


class Flag(StrEnum):
    """How a participant's self-view compares with their coach's rating."""

    blind_spot = "blind_spot"
    hidden_strength = "hidden_strength"
    aligned = "aligned"


FLAG_LABELS: Mapping[Flag, str] = {
    Flag.blind_spot: N_("Blind spot"),
    Flag.hidden_strength: N_("Hidden strength"),
    Flag.aligned: N_("Aligned"),
}


def calibration_flag(self_level: int, coach_level: int | None) -> Flag | None:
    """The flag for one behavior, or ``None`` while the coach has not rated it.

    Both arguments are level orders a behavior can hold (0 or a level it
    defines), so any difference in order is at least one level, also on a
    behavior with sparse levels: self above coach is a blind spot (the
    participant rates themself higher than the coach sees), below is a hidden
    strength, equal is aligned.
    """
    if coach_level is None:
        return None
    if self_level > coach_level:
        return Flag.blind_spot
    if self_level < coach_level:
        return Flag.hidden_strength
    return Flag.aligned


def allowed_orders(rubric: Rubric, behavior: Behavior) -> list[int]:
    """The levels a coach may give one behavior: 0 ("Not yet") and each level it defines.

    A level the behavior leaves out has no descriptor to rate against, so it is
    not offered (and not accepted) as a rating or a target.
    """
    return [0, *(level.order for level in rubric.behavior_levels(behavior))]


@dataclass(frozen=True, slots=True)
class PathStep:
    """One level on the way from where someone is to where they aim to be."""

    level_id: str
    order: int
    name: str
    descriptor: str
    #: The rubric's coaching actions for growing into this level (none for the current one).
    actions: tuple[str, ...]
    #: True for the level the participant is at now (shown for context, no suggestions).
    is_current: bool


def development_path(
    rubric: Rubric, behavior: Behavior, *, current: int, target: int | None
) -> list[PathStep]:
    """The levels from ``current`` up to ``target`` that ``behavior`` defines.

    ``current`` is the agreed present level (the coach's rating, or the
    self-assessed level before the coach has rated). The current level itself
    is included with its descriptor but without suggestions, since its actions
    are about growing *into* it; every defined level above it up to and
    including the target carries its descriptor and actions. Levels the
    behavior does not define are skipped (sparse rubrics). No target, or a
    target at or below the current level, means no gap: an empty path.
    """
    if target is None or target <= current:
        return []
    steps: list[PathStep] = []
    for level in rubric.behavior_levels(behavior):
        if level.order < current or level.order > target:
            continue
        spec = behavior.levels[level.id]
        is_current = level.order == current
        steps.append(
            PathStep(
                level_id=level.id,
                order=level.order,
                name=level.name,
                descriptor=spec.descriptor,
                actions=() if is_current else tuple(spec.actions),
                is_current=is_current,
            )
        )
    return steps


def reference_level(self_level: int, coach_level: int | None) -> int:
    """Where someone is now: the coach's rating once given, else the self-assessed level.

    The one rule the results page, the review and the PDF report all start from.
    """
    return coach_level if coach_level is not None else self_level


def next_steps(
    rubric: Rubric, behavior: Behavior, *, reference: int, target: int | None
) -> tuple[str | None, list[PathStep]]:
    """What ``behavior`` looks like at ``reference``, and the steps up from there.

    The steps are every level the behavior defines above ``reference`` up to
    ``target``, or only the next one when there is no target above it (a
    participant always sees where to go next). The current descriptor is
    ``None`` at level 0. The results page and the PDF report both use this.
    """
    defined = rubric.behavior_levels(behavior)
    below = [level for level in defined if level.order <= reference]
    current = behavior.levels[below[-1].id].descriptor if below else None
    above = [level for level in defined if level.order > reference]
    if target is not None and target > reference:
        chosen = [level for level in above if level.order <= target]
    else:
        chosen = above[:1]
    return current, [
        PathStep(
            level_id=level.id,
            order=level.order,
            name=level.name,
            descriptor=behavior.levels[level.id].descriptor,
            actions=tuple(behavior.levels[level.id].actions),
            is_current=False,
        )
        for level in chosen
    ]


def agreed_competency_level(rubric: Rubric, coach_levels: Sequence[int | None]) -> int | None:
    """A competency's level from the coach's ratings, by the rubric's own overall rule.

    Only when every behavior is rated: a partial rating would silently change
    what "overall" means.
    """
    if not coach_levels or any(level is None for level in coach_levels):
        return None
    return overall_level(
        [level for level in coach_levels if level is not None], rubric.scoring.overall
    )


def due_first(due: date | None) -> tuple[bool, date]:
    """Sort key of plan actions: the earliest due first, those without a due date last.

    The web plan and the PDF's plan table sort with it, so they list the same order.
    """
    return (due is None, due or date.min)


def behaviors_by_id(rubric: Rubric) -> dict[str, Behavior]:
    """Every behavior of a rubric by id (ids are unique across a valid rubric)."""
    return {b.id: b for c in rubric.competencies for b in c.behaviors}


def suggested_action(behavior: Behavior, level_id: str, index: int) -> str | None:
    """The ``index``-th coaching action of a behavior at a level, or ``None`` if absent."""
    spec = behavior.levels.get(level_id)
    if spec is None or not 0 <= index < len(spec.actions):
        return None
    return spec.actions[index]


def level_label(rubric: Rubric, order: int | None) -> str:
    """A display name for a level order: the rubric's name, "Not yet" for 0, "—" for none."""
    if order is None:
        return "—"
    return rubric.level_name(order) if order else NOT_YET


# --- growth over several assessments -------------------------------------------------


@dataclass(frozen=True, slots=True)
class GrowthSnapshot:
    """One assessment's levels, as input to :func:`growth_series`."""

    assessment_id: int
    taken_at: datetime
    #: Self-assessed level per behavior id (from the scoring result).
    self_levels: Mapping[str, int]
    #: Coach rating per behavior id from that assessment's latest finalized review.
    coach_levels: Mapping[str, int | None]
    #: Display names per behavior id (the later snapshots' names win).
    names: Mapping[str, str]
    #: The raters' (others') median per behavior id, where shown (docs/feedback.md).
    others_medians: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GrowthPoint:
    assessment_id: int
    taken_at: datetime
    self_level: int | None
    coach_level: int | None
    others_median: float | None = None


@dataclass(frozen=True, slots=True)
class BehaviorGrowth:
    """How one behavior moved across assessments, oldest first."""

    behavior_id: str
    name: str
    points: tuple[GrowthPoint, ...]

    @property
    def self_change(self) -> int | None:
        """Last minus first self level among the assessments that had the behavior."""
        return _change([p.self_level for p in self.points])

    @property
    def coach_change(self) -> int | None:
        """Last minus first coach rating among the reviewed assessments."""
        return _change([p.coach_level for p in self.points])


def _change(values: Sequence[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return present[-1] - present[0] if len(present) >= 2 else None


def growth_series(snapshots: Sequence[GrowthSnapshot]) -> list[BehaviorGrowth]:
    """Per behavior, the self and coach levels of each assessment, oldest first.

    Snapshots may come in any order and may be on different rubric versions: a
    behavior missing from one assessment gets ``None`` there instead of a
    made-up level. Behaviors keep the order in which they first appear in the
    newest snapshot, then any older-only ones, so a table follows the rubric.
    """
    ordered = sorted(snapshots, key=lambda s: (s.taken_at, s.assessment_id))
    names: dict[str, str] = {}
    for snapshot in ordered:
        names.update(snapshot.names)
    behavior_ids: list[str] = []
    for snapshot in reversed(ordered):
        for behavior_id in snapshot.names:
            if behavior_id not in behavior_ids:
                behavior_ids.append(behavior_id)
    return [
        BehaviorGrowth(
            behavior_id=behavior_id,
            name=names[behavior_id],
            points=tuple(
                GrowthPoint(
                    assessment_id=s.assessment_id,
                    taken_at=s.taken_at,
                    self_level=s.self_levels.get(behavior_id),
                    coach_level=s.coach_levels.get(behavior_id),
                    others_median=s.others_medians.get(behavior_id),
                )
                for s in ordered
            ),
        )
        for behavior_id in behavior_ids
    ]
