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

The module is pure -- no I/O, no globals, no web or database imports -- so the
API, CLI, report renderer and tests all get the same numbers from the same
function. Nothing here knows about any particular rubric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.rubrics.schemas import Behavior, Competency, Level, Rubric
from app.scoring.responses import ResponseValue, is_score
from app.scoring.result import (
    BehaviorResult,
    CompetencyResult,
    CurrentLevel,
    LevelEvidence,
    NextLevel,
    RubricRef,
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
class _LevelTally:
    """The evidence for one level a behavior defines."""

    level: Level
    mean: float | None
    answered: int
    total: int
    demonstrated: bool


def _tally(rubric: Rubric, behavior: Behavior, level: Level, responses: Responses) -> _LevelTally:
    """Mean of the numeric answers at one level; n/a and missing items are left out.

    The mean is ``sum / count`` in floating point and compared with the
    threshold as written. Because both are the correctly rounded value of the
    exact number, a mean that equals an authored threshold (e.g. 37/10 against
    3.7) compares equal, which exact-fraction arithmetic would not guarantee.
    """
    items = behavior.levels[level.id].items
    answered = count = total = 0
    for item in items:
        value = responses.get(item.id)
        if value is None:
            continue
        answered += 1  # n/a counts as answered: the participant responded
        if is_score(value):
            count += 1
            total += value
    mean = total / count if count else None
    demonstrated = mean is not None and mean >= rubric.scoring.threshold
    return _LevelTally(level, mean, answered, len(items), demonstrated)


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


def _evidence(tally: _LevelTally) -> LevelEvidence:
    return LevelEvidence(
        level=tally.level.id,
        order=tally.level.order,
        mean=None if tally.mean is None else round(tally.mean, DECIMALS),
        answered=tally.answered,
        total=tally.total,
        demonstrated=tally.demonstrated,
    )


def score_behavior(rubric: Rubric, behavior: Behavior, responses: Responses) -> BehaviorResult:
    """Level, next step, score and consistency of one behavior (see module docstring)."""
    tallies = [_tally(rubric, behavior, lvl, responses) for lvl in rubric.behavior_levels(behavior)]
    reached: _LevelTally | None = None
    next_index: int | None = None
    for index, tally in enumerate(tallies):
        if not tally.demonstrated:
            next_index = index
            break
        reached = tally
    level = reached.level.order if reached else 0

    current = None
    if reached is not None:
        current = CurrentLevel(
            level=reached.level.id, descriptor=behavior.levels[reached.level.id].descriptor
        )
    nxt = None
    consistent = True
    next_order: int | None = None
    fraction = 0.0
    if next_index is not None:
        upcoming = tallies[next_index]
        spec = behavior.levels[upcoming.level.id]
        nxt = NextLevel(
            level=upcoming.level.id, descriptor=spec.descriptor, actions=tuple(spec.actions)
        )
        next_order = upcoming.level.order
        fraction = progress(upcoming.mean, rubric.scale.min, rubric.scoring.threshold)
        consistent = not any(t.demonstrated for t in tallies[next_index + 1 :])

    return BehaviorResult(
        id=behavior.id,
        name=behavior.name,
        level=level,
        level_name=rubric.level_name(level),
        score=reported_score(level, fraction, next_order),
        consistent=consistent,
        answered=sum(t.answered for t in tallies),
        total=sum(t.total for t in tallies),
        current=current,
        next=nxt,
        levels=tuple(_evidence(t) for t in tallies),
    )


def score_competency(
    rubric: Rubric, competency: Competency, responses: Responses
) -> CompetencyResult:
    """Score every behavior of a competency and combine them by the rubric's overall rule."""
    behaviors = tuple(score_behavior(rubric, b, responses) for b in competency.behaviors)
    level = overall_level([b.level for b in behaviors], rubric.scoring.overall)
    return CompetencyResult(
        id=competency.id,
        name=competency.name,
        level=level,
        level_name=rubric.level_name(level),
        behaviors=behaviors,
    )


def score_responses(rubric: Rubric, responses: Responses) -> ScoringResult:
    """Score a questionnaire with method :data:`METHOD`.

    ``responses`` maps item id to an integer on the scale or ``"n/a"``; ``None``
    or an absent key is "unanswered". The answers are assumed to have passed
    :func:`~app.scoring.responses.validate_responses`; ids the rubric does not
    know are ignored, and the mapping's order never matters.
    """
    competencies = tuple(score_competency(rubric, c, responses) for c in rubric.competencies)
    return ScoringResult(
        rubric=RubricRef(id=rubric.id, version=rubric.version),
        method=METHOD,
        answered=sum(b.answered for c in competencies for b in c.behaviors),
        total=sum(b.total for c in competencies for b in c.behaviors),
        competencies=competencies,
    )
