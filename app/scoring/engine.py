"""The scoring method "stepwise-threshold/1": answers in, levels out.

Why this method (docs/scoring.md has the full account):

* **Threshold mastery.** A level counts only when its items are, on average,
  endorsed at or above the rubric's threshold. A participant who half-agrees
  with everything has not demonstrated anything yet.
* **Guttman ordering.** Levels are steps: a behavior's level is the top of the
  *unbroken* run of demonstrated levels from the bottom. A higher level
  demonstrated above a gap does not count, but it is flagged
  (``consistent=False``) because it usually means a misread item or an
  unusual profile a coach should look at.
* **Sparse levels.** Authors may leave levels out of a behavior when nothing
  distinct happens there. Such levels neither count nor block.
* **n/a** answers carry no evidence either way, so they leave the means.

The module is pure -- no I/O, no web or database imports, and no state: its
one module-level dict memoises each rubric's structure laid out for scoring,
derived data dropped with the rubric -- so the API, CLI, report renderer and
tests all get the same numbers from the same function. Nothing here knows
about any particular rubric.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.rubrics.schemas import NOT_YET, Behavior, BehaviorLevel, Competency, Level, Rubric
from app.scoring.responses import ResponseValue, is_score
from app.scoring.result import (
    BehaviorResult,
    CompetencyResult,
    CurrentLevel,
    LevelEvidence,
    NextLevel,
    ScoringResult,
)

METHOD = "stepwise-threshold/1"
"""The method string stamped on every result; a changed method gets a new string."""

#: Scores and means are reported with this many decimals.
DECIMALS = 2
#: The smallest reported step; a rounded score is capped at ``order(next) - STEP``.
STEP = 0.01
#: Progress is clamped below 1 so a score can never equal the next level's order
#: before rounding. In practice the next level is by definition not demonstrated,
#: so its mean is below the threshold and progress is already < 1; the clamp only
#: guards against floating-point division landing exactly on 1.0.
PROGRESS_CAP = 1.0 - 1e-9

Responses = Mapping[str, ResponseValue | None]


@dataclass(frozen=True, slots=True)
class _LevelPlan:
    """One level a behavior defines, with everything scoring reads of it resolved once.

    The ``current``/``next`` parts of a result do not depend on the answers,
    so the typed path shares one frozen model of each per level instead of
    validating ~50 new ones per call. Its evidence depends on the answers
    only through ``(mean, answered, demonstrated)``, of which a level has a
    handful (a mean is a sum of at most ``total`` scale points over at most
    ``total`` items), so ``evidence_models`` interns one frozen
    :class:`LevelEvidence` per combination met: bounded by the rubric,
    dropped with the plan, and invisible (equal values, immutable objects).
    """

    item_ids: tuple[str, ...]
    id: str
    order: int
    total: int
    descriptor: str
    actions: tuple[str, ...]
    current_model: CurrentLevel
    next_model: NextLevel
    evidence_models: dict[tuple[float | None, int, bool], LevelEvidence]


@dataclass(frozen=True, slots=True)
class _BehaviorPlan:
    behavior: Behavior
    id: str
    name: str
    #: The levels the behavior defines, lowest order first.
    levels: tuple[_LevelPlan, ...]
    #: Items over all its levels.
    total: int


@dataclass(frozen=True, slots=True)
class _RubricPlan:
    """A rubric's structure laid out for scoring: what every call would otherwise re-derive."""

    competencies: tuple[tuple[Competency, tuple[_BehaviorPlan, ...]], ...]
    behaviors: dict[str, _BehaviorPlan]
    level_names: dict[int, str]


def _level_plan(level: Level, spec: BehaviorLevel) -> _LevelPlan:
    item_ids = tuple(item.id for item in spec.items)
    actions = tuple(spec.actions)
    return _LevelPlan(
        item_ids=item_ids,
        id=level.id,
        order=level.order,
        total=len(item_ids),
        descriptor=spec.descriptor,
        actions=actions,
        current_model=CurrentLevel(level=level.id, descriptor=spec.descriptor),
        next_model=NextLevel(level=level.id, descriptor=spec.descriptor, actions=actions),
        evidence_models={},
    )


def _behavior_plan(rubric: Rubric, behavior: Behavior) -> _BehaviorPlan:
    levels = [
        _level_plan(level, behavior.levels[level.id]) for level in rubric.behavior_levels(behavior)
    ]
    return _BehaviorPlan(
        behavior=behavior,
        id=behavior.id,
        name=behavior.name,
        levels=tuple(levels),
        total=sum(step.total for step in levels),
    )


def _build_plan(rubric: Rubric) -> _RubricPlan:
    competencies = tuple(
        (c, tuple(_behavior_plan(rubric, b) for b in c.behaviors)) for c in rubric.competencies
    )
    names: dict[int, str] = {0: NOT_YET}
    for level in rubric.levels:
        names.setdefault(level.order, level.name)  # first wins, like Rubric.level_name
    return _RubricPlan(
        competencies=competencies,
        behaviors={bp.id: bp for _, bps in competencies for bp in bps},
        level_names=names,
    )


#: Plans by rubric identity. A plan is derived from an immutable rubric and dropped
#: with it (weak reference), so this is a memo, not state: every process computes
#: the same plan, and nothing outside the engine can observe it.
_plans: dict[int, tuple[weakref.ref[Rubric], _RubricPlan]] = {}


def _plan_of(rubric: Rubric) -> _RubricPlan:
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


def progress(mean: float | None, scale_min: int, threshold: float) -> float:
    """How far a level's mean has come from the bottom of the scale to the threshold.

    ``(mean - min) / (threshold - min)`` clamped to ``[0, PROGRESS_CAP]``; 0
    when nothing at that level was answered. A valid rubric has
    ``min < threshold``, so the division is safe.
    """
    if mean is None:
        return 0.0
    raw = (mean - scale_min) / (threshold - scale_min)
    return min(max(raw, 0.0), PROGRESS_CAP)


def reported_score(level: int, fraction: float, next_order: int | None) -> float:
    """The score shown to people: 2 decimals, and always strictly below the next order.

    Plain rounding could turn 2.996 into 3.00 and claim a level that is not
    demonstrated, so a rounded score is capped at ``order(next) - 0.01``. At the
    top (no next level) the score is exactly the level.
    """
    if next_order is None:
        return float(level)
    raw = level + fraction * (next_order - level)
    return min(round(raw, DECIMALS), round(next_order - STEP, DECIMALS))


def overall_level(levels: Sequence[int], rule: Literal["median", "minimum"]) -> int:
    """A competency's level from its behaviors' levels.

    The lower median (index ``(n - 1) // 2`` of the ascending list) is robust to
    one outlier behavior without ever inventing a level nobody reached, as an
    average could; ``minimum`` is for organisations that want every behavior
    at the level before the competency is.
    """
    if not levels:
        return 0
    ordered = sorted(levels)
    return ordered[0] if rule == "minimum" else ordered[(len(ordered) - 1) // 2]


# The scorers build plain data and validate it into the frozen result models once,
# at the top: pydantic-core then creates the nested models in one call instead of
# ~200 separate constructions from Python.


def _behavior_data(
    plan: _BehaviorPlan,
    rubric: Rubric,
    names: dict[int, str],
    responses: Responses,
    typed: bool,
) -> dict[str, Any]:
    """Level, next step, score and consistency of one behavior (see module docstring).

    n/a and missing items are left out of a level's mean; n/a counts as
    answered (the participant responded). The mean is ``sum / count`` in
    floating point and compared with the threshold as written. Because both
    are the correctly rounded value of the exact number, a mean that equals an
    authored threshold (e.g. 37/10 against 3.7) compares equal, which
    exact-fraction arithmetic would not guarantee.

    ``typed`` puts the plan's shared ``current``/``next`` models in the data (for
    :func:`score_responses`); otherwise they are new plain dicts.
    """
    threshold = rubric.scoring.threshold
    evidence: list[Any] = []
    reached: _LevelPlan | None = None
    upcoming: _LevelPlan | None = None
    upcoming_mean: float | None = None
    consistent = True
    answered_total = 0
    append = evidence.append
    get = responses.get
    for step in plan.levels:
        # Inlined (this loop runs ~100 times a call): a level holds ~2 items,
        # so a plain loop beats slicing and counting, and a function call per
        # level would cost as much as the loop.
        answered = count = total = 0
        for item_id in step.item_ids:
            value = get(item_id)
            if value is None:
                continue
            answered += 1
            if value.__class__ is int or is_score(value):  # the common case first
                count += 1
                total += value
        mean: float | None = None
        shown: float | None = None
        demonstrated = False
        if count:
            exact = total / count
            mean, shown, demonstrated = exact, round(exact, DECIMALS), exact >= threshold
        answered_total += answered
        if typed:
            key = (shown, answered, demonstrated)
            model = step.evidence_models.get(key)
            if model is None:
                model = step.evidence_models[key] = LevelEvidence(
                    level=step.id,
                    order=step.order,
                    mean=shown,
                    answered=answered,
                    total=step.total,
                    demonstrated=demonstrated,
                )
            append(model)
        else:
            append(
                {
                    "level": step.id,
                    "order": step.order,
                    "mean": shown,
                    "answered": answered,
                    "total": step.total,
                    "demonstrated": demonstrated,
                }
            )
        if upcoming is None:
            if demonstrated:
                reached = step
            else:
                upcoming, upcoming_mean = step, mean
        elif demonstrated:
            consistent = False  # demonstrated above the first gap: a Guttman break
    level = reached.order if reached is not None else 0

    current: Any = None
    if reached is not None:
        current = (
            reached.current_model
            if typed
            else {"level": reached.id, "descriptor": reached.descriptor}
        )
    nxt: Any = None
    next_order: int | None = None
    fraction = 0.0
    if upcoming is not None:
        nxt = (
            upcoming.next_model
            if typed
            else {
                "level": upcoming.id,
                "descriptor": upcoming.descriptor,
                # a tuple, made once: the document never aliases the rubric's list
                "actions": upcoming.actions,
            }
        )
        next_order = upcoming.order
        fraction = progress(upcoming_mean, rubric.scale.min, threshold)
    return {
        "id": plan.id,
        "name": plan.name,
        "level": level,
        "level_name": names.get(level, NOT_YET),
        "score": reported_score(level, fraction, next_order),
        "consistent": consistent,
        "answered": answered_total,
        "total": plan.total,
        "current": current,
        "next": nxt,
        "levels": evidence,
    }


def score_behavior(rubric: Rubric, behavior: Behavior, responses: Responses) -> BehaviorResult:
    """Level, next step, score and consistency of one behavior (see module docstring)."""
    rubric_plan = _plan_of(rubric)
    plan = rubric_plan.behaviors.get(behavior.id)
    if plan is None or plan.behavior is not behavior:  # a behavior from elsewhere
        plan = _behavior_plan(rubric, behavior)
    data = _behavior_data(plan, rubric, rubric_plan.level_names, responses, True)
    return BehaviorResult.model_validate(data)


def _competency_data(
    competency: Competency,
    plans: tuple[_BehaviorPlan, ...],
    rubric: Rubric,
    names: dict[int, str],
    responses: Responses,
    typed: bool,
) -> dict[str, Any]:
    behaviors = [_behavior_data(p, rubric, names, responses, typed) for p in plans]
    level = overall_level([b["level"] for b in behaviors], rubric.scoring.overall)
    return {
        "id": competency.id,
        "name": competency.name,
        "level": level,
        "level_name": names.get(level, NOT_YET),
        "behaviors": behaviors,
    }


def score_competency(
    rubric: Rubric, competency: Competency, responses: Responses
) -> CompetencyResult:
    """Score every behavior of a competency and combine them by the rubric's overall rule."""
    rubric_plan = _plan_of(rubric)
    plans = next(
        (bps for c, bps in rubric_plan.competencies if c is competency),
        tuple(_behavior_plan(rubric, b) for b in competency.behaviors),
    )
    data = _competency_data(competency, plans, rubric, rubric_plan.level_names, responses, True)
    return CompetencyResult.model_validate(data)


def _document(rubric: Rubric, responses: Responses, typed: bool) -> dict[str, Any]:
    plan = _plan_of(rubric)
    names = plan.level_names
    competencies = [
        _competency_data(c, bps, rubric, names, responses, typed) for c, bps in plan.competencies
    ]
    answered = total = 0
    for competency in competencies:
        for behavior in competency["behaviors"]:
            answered += behavior["answered"]
            total += behavior["total"]
    return {
        "rubric": {"id": rubric.id, "version": rubric.version},
        "method": METHOD,
        "answered": answered,
        "total": total,
        "competencies": competencies,
    }


def score_document(rubric: Rubric, responses: Responses) -> dict[str, Any]:
    """The result of :func:`score_responses` as plain JSON-ready data.

    Same numbers, same keys in the same order as
    :class:`~app.scoring.result.ScoringResult`; for callers that only
    serialise the result (the stateless ``POST /api/v1/score``), where
    building ~200 frozen models just to dump them again is most of the cost.
    Anything that keeps, renders or inspects a result uses the typed
    :func:`score_responses`.
    """
    return _document(rubric, responses, False)


def score_responses(rubric: Rubric, responses: Responses) -> ScoringResult:
    """Score a questionnaire with method :data:`METHOD`.

    ``responses`` maps item id to an integer on the scale or ``"n/a"``; ``None``
    or an absent key is "unanswered". The answers are assumed to have passed
    :func:`~app.scoring.responses.validate_responses`; ids the rubric does not
    know are ignored, and the mapping's order never matters.
    """
    return ScoringResult.model_validate(_document(rubric, responses, True))
