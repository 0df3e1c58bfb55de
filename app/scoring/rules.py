"""The method's arithmetic: progress towards a level, the reported score, the overall level.

Small pure functions of numbers, shared by the engine's per-call loop and the
rubric plan (:mod:`app.scoring.plan`), which evaluates them once per level and
outcome instead of once per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

#: Scores and means are reported with this many decimals.
DECIMALS = 2
#: The smallest reported step; a rounded score is capped at ``order(next) - STEP``.
STEP = 0.01
#: Progress is clamped below 1 so a score can never equal the next level's order
#: before rounding. In practice the next level is by definition not demonstrated,
#: so its mean is below the threshold and progress is already < 1; the clamp only
#: guards against floating-point division landing exactly on 1.0.
PROGRESS_CAP = 1.0 - 1e-9


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
