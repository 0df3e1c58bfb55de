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

The module is pure -- no I/O, no web or database imports, and no state: each
rubric's structure laid out for scoring, with its memo tables, lives in
:mod:`app.scoring.plan` (derived data dropped with the rubric), and the
method's arithmetic in :mod:`app.scoring.rules` -- so the API, CLI, report
renderer and tests all get the same numbers from the same functions. Nothing
here knows about any particular rubric.

Per call the engine reads each level's answers, looks up the level's
interned outcome (rounded mean, ``demonstrated``, the evidence) and each
behavior's interned Guttman shape, and assembles the result; it computes a
level only for a combination of answers it has not met yet.
"""

from __future__ import annotations

from typing import Any

from app.rubrics.schemas import NOT_YET, Behavior, Competency, Rubric
from app.scoring.plan import (
    BehaviorPlan,
    Outcome,
    Responses,
    behavior_plan,
    competency_plans,
    plan_of,
    resolve,
    shape_of,
    values_of,
)
from app.scoring.result import (
    BehaviorResult,
    CompetencyResult,
    ScoringResult,
    trusted_constructor,
)

# The method's arithmetic is re-exported: callers import it from here (or app.scoring).
from app.scoring.rules import DECIMALS as DECIMALS
from app.scoring.rules import PROGRESS_CAP as PROGRESS_CAP
from app.scoring.rules import STEP as STEP
from app.scoring.rules import overall_level
from app.scoring.rules import progress as progress
from app.scoring.rules import reported_score as reported_score

METHOD = "stepwise-threshold/1"
"""The method string stamped on every result; a changed method gets a new string."""

_behavior_result = trusted_constructor(BehaviorResult)
_competency_result = trusted_constructor(CompetencyResult)
_scoring_result = trusted_constructor(ScoringResult)


def _computed(plan: BehaviorPlan, responses: Responses) -> list[Outcome]:
    """Each level's outcome computed from the answers (values not clean, or not met yet)."""
    get = responses.get
    return [resolve(step, get) for step in plan.levels]


def _behavior(
    plan: BehaviorPlan, values: tuple[object, ...] | None, responses: Responses, typed: bool
) -> Any:
    """One behavior's result: a frozen :class:`BehaviorResult` if ``typed``, else plain data.

    ``values`` are the answers in the layout the plan's levels pick from
    (:func:`~app.scoring.plan.values_of`), or None to compute every level.
    """
    # Each level's outcome, looked up by its values (inlined: ~115 levels a call).
    outcomes: list[Any] = (
        [None]
        if values is None
        else [outcome_of(pick(values)) for outcome_of, pick in plan.lookups]
    )
    if None in outcomes:
        outcomes = _computed(plan, responses)
    mask = answered = 0
    for outcome in outcomes:
        mask |= outcome.bit
        answered += outcome.answered
    shape = plan.shapes.get(mask) or shape_of(plan, mask)
    upcoming = shape.upcoming
    score = outcomes[upcoming].score_as_next if upcoming >= 0 else shape.top_score
    current: Any
    nxt: Any
    if typed:  # the plan's shared frozen models
        current, nxt = shape.current_model, shape.next_model
        levels: Any = tuple([outcome.model for outcome in outcomes])
    else:  # new plain data, from the plan's templates
        current, nxt = shape.current, shape.next
        current = None if current is None else current.copy()
        nxt = None if nxt is None else nxt.copy()
        levels = [outcome.document.copy() for outcome in outcomes]
    data = {
        "id": plan.id,
        "name": plan.name,
        "level": shape.level,
        "level_name": shape.level_name,
        "score": score,
        "consistent": shape.consistent,
        "answered": answered,
        "total": plan.total,
        "current": current,
        "next": nxt,
        "levels": levels,
    }
    return _behavior_result(data) if typed else data


def score_behavior(rubric: Rubric, behavior: Behavior, responses: Responses) -> BehaviorResult:
    """Level, next step, score and consistency of one behavior (see module docstring)."""
    rubric_plan = plan_of(rubric)
    plan = rubric_plan.behaviors.get(behavior.id)
    if plan is not None and plan.behavior is behavior:
        values = values_of(rubric_plan.item_ids, responses)
    else:  # a behavior from elsewhere: a plan of its own, its values laid out from 0
        plan = behavior_plan(rubric, behavior, rubric_plan.level_names)
        values = values_of(plan.item_ids, responses)
    result: BehaviorResult = _behavior(plan, values, responses, True)
    return result


def _competency(
    rubric: Rubric,
    competency: Competency,
    plans: tuple[BehaviorPlan, ...],
    names: dict[int, str],
    values: tuple[object, ...] | None,
    responses: Responses,
    typed: bool,
) -> Any:
    """A competency: its behaviors, combined by the rubric's overall rule."""
    behaviors = [_behavior(p, values, responses, typed) for p in plans]
    levels = [b.level for b in behaviors] if typed else [b["level"] for b in behaviors]
    level = overall_level(levels, rubric.scoring.overall)
    data = {
        "id": competency.id,
        "name": competency.name,
        "level": level,
        "level_name": names.get(level, NOT_YET),
        "behaviors": tuple(behaviors) if typed else behaviors,
    }
    return _competency_result(data) if typed else data


def score_competency(
    rubric: Rubric, competency: Competency, responses: Responses
) -> CompetencyResult:
    """Score every behavior of a competency and combine them by the rubric's overall rule."""
    rubric_plan = plan_of(rubric)
    found = next((bps for c, bps in rubric_plan.competencies if c is competency), None)
    if found is not None:
        plans, values = found, values_of(rubric_plan.item_ids, responses)
    else:  # a competency from elsewhere: plans of its own, values laid out from 0
        plans = competency_plans(rubric, competency, rubric_plan.level_names)
        values = values_of(tuple(i for p in plans for i in p.item_ids), responses)
    result: CompetencyResult = _competency(
        rubric, competency, plans, rubric_plan.level_names, values, responses, True
    )
    return result


def _document(rubric: Rubric, responses: Responses, typed: bool) -> Any:
    plan = plan_of(rubric)
    values = values_of(plan.item_ids, responses)
    competencies = [
        _competency(rubric, c, bps, plan.level_names, values, responses, typed)
        for c, bps in plan.competencies
    ]
    total = plan.total
    if typed:
        answered = sum([b.answered for c in competencies for b in c.behaviors])
        return _scoring_result(
            {
                "rubric": plan.rubric_ref,
                "method": METHOD,
                "answered": answered,
                "total": total,
                "competencies": tuple(competencies),
            }
        )
    answered = sum([b["answered"] for c in competencies for b in c["behaviors"]])
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
    document: dict[str, Any] = _document(rubric, responses, False)
    return document


def score_responses(rubric: Rubric, responses: Responses) -> ScoringResult:
    """Score a questionnaire with method :data:`METHOD`.

    ``responses`` maps item id to an integer on the scale or ``"n/a"``; ``None``
    or an absent key is "unanswered". The answers are assumed to have passed
    :func:`~app.scoring.responses.validate_responses`; ids the rubric does not
    know are ignored, and the mapping's order never matters.
    """
    result: ScoringResult = _document(rubric, responses, True)
    return result
