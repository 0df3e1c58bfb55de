"""A rubric laid out for scoring: everything a call would otherwise re-derive from it.

The engine (:mod:`app.scoring.engine`) reads a rubric through its plan. A plan
holds what does not depend on the answers -- each behavior's levels in order,
their item ids, the shared ``current``/``next`` models, the level names -- and
two memo tables that turn the per-call work into lookups:

* **Outcomes per level.** A level's evidence, and the behavior's score if that
  level is the next step, depend on the answers only through the values of
  its (~2) items. For clean values (an ``int`` on the scale, ``"n/a"``, no
  answer) a level has at most ``(max - min + 2) ** items`` combinations, so
  each level interns one :class:`Outcome` per combination met: the rounded
  mean, ``demonstrated``, the evidence as plain data and as a frozen model.
* **Shapes per behavior.** The Guttman bookkeeping (level reached, next step,
  consistency) depends only on which levels are demonstrated, a bit mask of
  at most ``2 ** levels`` values; each behavior interns one :class:`Shape`
  per mask met.

Both are bounded by the rubric, derived from an immutable rubric and dropped
with it (weak reference), so they are memos, not state: equal values,
immutable objects (plain-data templates are copied per call), and nothing
outside the engine can observe them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from app.rubrics.schemas import NA, NOT_YET, Behavior, BehaviorLevel, Competency, Level, Rubric
from app.scoring.responses import ResponseValue, is_score
from app.scoring.result import CurrentLevel, LevelEvidence, NextLevel, RubricRef
from app.scoring.rules import DECIMALS, progress, reported_score

Responses = Mapping[str, ResponseValue | None]
Getter = Callable[[str], object]


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """What one level shows for one combination of its items' values.

    ``eq=False``: outcomes are interned, compared by identity (the engine's
    ``None in outcomes`` must not call a Python ``__eq__``).
    """

    answered: int
    #: The level's bit when demonstrated, else 0 (see :class:`Shape`).
    bit: int
    #: The evidence as plain data; a template, copied into each document.
    document: dict[str, Any]
    model: LevelEvidence
    #: The behavior's reported score when this level is its next step.
    score_as_next: float


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    """A behavior's Guttman reading for one set of demonstrated levels."""

    level: int
    level_name: str
    consistent: bool
    #: Index of the first level not demonstrated (the next step); -1 at the top.
    upcoming: int
    #: The score at the top (no next step): exactly the level.
    top_score: float
    #: Plain-data templates (copied per call) and the shared models.
    current: dict[str, Any] | None
    current_model: CurrentLevel | None
    next: dict[str, Any] | None
    next_model: NextLevel | None


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """One level a behavior defines, with everything scoring reads of it resolved once."""

    item_ids: tuple[str, ...]
    id: str
    order: int
    total: int
    descriptor: str
    actions: tuple[str, ...]
    current_model: CurrentLevel
    next_model: NextLevel
    #: This level's items' values from the call's values tuple (the plan's item order).
    pick: Callable[[tuple[object, ...]], object]
    bit: int
    #: Order of the level below it (0 for the lowest): the "reached" level when this is next.
    below: int
    threshold: float
    scale_min: int
    scale_max: int
    outcomes: dict[object, Outcome]


@dataclass(frozen=True, slots=True)
class BehaviorPlan:
    behavior: Behavior
    id: str
    name: str
    #: The levels the behavior defines, lowest order first.
    levels: tuple[LevelPlan, ...]
    #: Items over all its levels.
    total: int
    #: ``(outcomes.get, pick)`` per level: the hot loop's two calls, bound once.
    lookups: tuple[tuple[Callable[[object], Outcome | None], Callable[[Any], object]], ...]
    #: The item ids its levels' ``pick`` index, in order.
    item_ids: tuple[str, ...]
    level_names: dict[int, str]
    shapes: dict[int, Shape]


@dataclass(frozen=True, slots=True)
class RubricPlan:
    """A rubric's structure laid out for scoring."""

    competencies: tuple[tuple[Competency, tuple[BehaviorPlan, ...]], ...]
    behaviors: dict[str, BehaviorPlan]
    level_names: dict[int, str]
    #: Every item id, behavior by behavior: the layout of the values tuple.
    item_ids: tuple[str, ...]
    #: Items over all behaviors.
    total: int
    rubric_ref: RubricRef


#: The classes of values the lookup tables can key on exactly. ``bool``, ``float``
#: and ``int`` subclasses compare equal to ints but score differently, so a call
#: holding one takes the computed path (:func:`resolve`).
_CLEAN = frozenset({int, str, type(None)})


def values_of(item_ids: tuple[str, ...], responses: Responses) -> tuple[object, ...] | None:
    """The answers in plan order, or None when one is of a class the tables cannot key."""
    values = tuple(map(responses.get, item_ids))
    return values if _CLEAN.issuperset(map(type, values)) else None


def _picker(positions: list[int]) -> Callable[[tuple[object, ...]], object]:
    if positions:
        return itemgetter(*positions)
    return lambda values: ()  # a level without items: one outcome


def resolve(step: LevelPlan, get: Getter) -> Outcome:
    """A level's outcome computed from the answers, interned when its values are clean.

    n/a and missing items are left out of a level's mean; n/a counts as
    answered (the participant responded). The mean is ``sum / count`` in
    floating point and compared with the threshold as written. Because both
    are the correctly rounded value of the exact number, a mean that equals an
    authored threshold (e.g. 37/10 against 3.7) compares equal, which
    exact-fraction arithmetic would not guarantee.
    """
    raw = tuple(get(item_id) for item_id in step.item_ids)
    key: object = raw[0] if len(raw) == 1 else raw
    known = step.outcomes.get(key) if _keyable(step, raw) else None
    if known is not None:
        return known
    answered = count = total = 0
    for value in raw:
        if value is None:
            continue
        answered += 1
        if is_score(value):
            count += 1
            total += value
    mean: float | None = None
    shown: float | None = None
    demonstrated = False
    if count:
        mean = total / count
        shown, demonstrated = round(mean, DECIMALS), mean >= step.threshold
    evidence = {
        "level": step.id,
        "order": step.order,
        "mean": shown,
        "answered": answered,
        "total": step.total,
        "demonstrated": demonstrated,
    }
    outcome = Outcome(
        answered=answered,
        bit=step.bit if demonstrated else 0,
        document=evidence,
        model=LevelEvidence.model_validate(evidence),
        score_as_next=reported_score(
            step.below, progress(mean, step.scale_min, step.threshold), step.order
        ),
    )
    if _keyable(step, raw):
        step.outcomes[key] = outcome
    return outcome


def _keyable(step: LevelPlan, raw: tuple[object, ...]) -> bool:
    """True for values of the bounded set a table may hold: on the scale, n/a, none."""
    lo, hi = step.scale_min, step.scale_max
    return all(
        value is None
        or (value.__class__ is int and lo <= value <= hi)
        or (value.__class__ is str and value == NA)
        for value in raw
    )


def shape_of(plan: BehaviorPlan, mask: int) -> Shape:
    """The Guttman reading of a behavior whose demonstrated levels are ``mask``'s bits.

    A behavior's level is the top of the *unbroken* run of demonstrated levels
    from the bottom; a demonstrated level above the first gap makes it
    inconsistent. Interned per mask.
    """
    shape = plan.shapes.get(mask)
    if shape is not None:
        return shape
    levels = plan.levels
    upcoming = next((i for i, step in enumerate(levels) if not mask & step.bit), -1)
    reached = len(levels) - 1 if upcoming == -1 else upcoming - 1
    level = levels[reached].order if reached >= 0 else 0
    above = levels[upcoming + 1 :] if upcoming >= 0 else ()
    here = levels[reached] if reached >= 0 else None
    nxt = levels[upcoming] if upcoming >= 0 else None
    shape = plan.shapes[mask] = Shape(
        level=level,
        level_name=plan.level_names.get(level, NOT_YET),
        consistent=not any(mask & step.bit for step in above),
        upcoming=upcoming,
        top_score=float(level),
        current=None if here is None else {"level": here.id, "descriptor": here.descriptor},
        current_model=None if here is None else here.current_model,
        # ``actions`` is a tuple made once: the document never aliases the rubric's list
        next=None
        if nxt is None
        else {"level": nxt.id, "descriptor": nxt.descriptor, "actions": nxt.actions},
        next_model=None if nxt is None else nxt.next_model,
    )
    return shape


def _level_plan(
    rubric: Rubric, level: Level, spec: BehaviorLevel, index: int, below: int, start: int
) -> LevelPlan:
    item_ids = tuple(item.id for item in spec.items)
    actions = tuple(spec.actions)
    return LevelPlan(
        item_ids=item_ids,
        id=level.id,
        order=level.order,
        total=len(item_ids),
        descriptor=spec.descriptor,
        actions=actions,
        current_model=CurrentLevel(level=level.id, descriptor=spec.descriptor),
        next_model=NextLevel(level=level.id, descriptor=spec.descriptor, actions=actions),
        pick=_picker(list(range(start, start + len(item_ids)))),
        bit=1 << index,
        below=below,
        threshold=rubric.scoring.threshold,
        scale_min=rubric.scale.min,
        scale_max=rubric.scale.max,
        outcomes={},
    )


def behavior_plan(
    rubric: Rubric, behavior: Behavior, names: dict[int, str], start: int = 0
) -> BehaviorPlan:
    """A behavior's plan; its levels pick their values from position ``start`` on."""
    levels: list[LevelPlan] = []
    below = 0
    for index, level in enumerate(rubric.behavior_levels(behavior)):
        step = _level_plan(rubric, level, behavior.levels[level.id], index, below, start)
        levels.append(step)
        below, start = step.order, start + step.total
    return BehaviorPlan(
        behavior=behavior,
        id=behavior.id,
        name=behavior.name,
        levels=tuple(levels),
        total=sum(step.total for step in levels),
        lookups=tuple((step.outcomes.get, step.pick) for step in levels),
        item_ids=tuple(item_id for step in levels for item_id in step.item_ids),
        level_names=names,
        shapes={},
    )


def level_names(rubric: Rubric) -> dict[int, str]:
    names: dict[int, str] = {0: NOT_YET}
    for level in rubric.levels:
        names.setdefault(level.order, level.name)  # first wins, like Rubric.level_name
    return names


def competency_plans(
    rubric: Rubric, competency: Competency, names: dict[int, str], start: int = 0
) -> tuple[BehaviorPlan, ...]:
    """Its behaviors' plans, their values laid out one after another from ``start``."""
    plans = []
    for behavior in competency.behaviors:
        plans.append(behavior_plan(rubric, behavior, names, start))
        start += plans[-1].total
    return tuple(plans)


def _build_plan(rubric: Rubric) -> RubricPlan:
    names = level_names(rubric)
    start = 0
    competencies = []
    for competency in rubric.competencies:
        plans = competency_plans(rubric, competency, names, start)
        start += sum(p.total for p in plans)
        competencies.append((competency, plans))
    return RubricPlan(
        competencies=tuple(competencies),
        behaviors={bp.id: bp for _, bps in competencies for bp in bps},
        level_names=names,
        item_ids=tuple(i for _, bps in competencies for bp in bps for i in bp.item_ids),
        total=start,
        rubric_ref=RubricRef(id=rubric.id, version=rubric.version),
    )


#: Plans by rubric identity. A plan is derived from an immutable rubric and dropped
#: with it (weak reference), so this is a memo, not state: every process computes
#: the same plan, and nothing outside the engine can observe it.
_plans: dict[int, tuple[weakref.ref[Rubric], RubricPlan]] = {}


def plan_of(rubric: Rubric) -> RubricPlan:
    """The rubric's plan, built on first use and kept while the rubric lives."""
    key = id(rubric)
    entry = _plans.get(key)
    if entry is not None and entry[0]() is rubric:
        return entry[1]
    plan = _build_plan(rubric)

    def forget(ref: weakref.ref[Rubric]) -> None:
        if _plans.get(key, (None,))[0] is ref:
            del _plans[key]

    _plans[key] = (weakref.ref(rubric, forget), plan)
    return plan
