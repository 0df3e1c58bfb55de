"""Rubric health: do a behavior's items measure one thing, and in level order?

Pure like the engine (no I/O): a validated rubric and many respondents'
answers in, one :class:`RubricHealth` out. The CLI (``stepwise rubrics
health``), the admin page and the API all call :func:`rubric_health`; the
formulas, thresholds and references are in docs/rubric-health.md.

Per behavior, only *complete* respondents count: those with a numeric answer
to every item of the behavior (an ``n/a`` or a gap drops the respondent from
that behavior, listwise). alpha and the correlations need the same people on
every item, and one ``n`` per behavior keeps the figures comparable.

The level order is checked with the engine's own rule (``consistent`` in
docs/scoring.md): a respondent breaks it when a level above the one where the
walk stopped is demonstrated. Floor and ceiling are the shares of
respondents at level 0 ("Not yet") and at the behavior's top defined level.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from app.rubrics.schemas import Behavior, Rubric
from app.scoring.engine import score_document
from app.scoring.responses import ResponseValue, is_score

#: Respondents a behavior needs before any figure is shown (a setting overrides it).
DEFAULT_MIN_N = 30
#: alpha below this: the items do not hang together well enough to add up.
ALPHA_LOW = 0.7
#: alpha above this: items so alike that some are probably redundant.
ALPHA_REDUNDANT = 0.95
#: A corrected item-total correlation below this: the item measures something else.
ITEM_TOTAL_LOW = 0.3
#: A floor or ceiling share above this leaves no room to show change.
FLOOR_CEILING_HIGH = 0.15


def N_(message: str) -> str:
    """Mark a flag's message for extraction (``make i18n-extract``); the page translates it.

    The scoring package stays pure, so it marks its strings itself rather than importing
    the core's marker.
    """
    return message


class Flag(str):
    """A flag as its English text (what the CLI prints and the API returns), carrying the
    message and threshold it was made from so that a page can say it in its own locale.
    """

    message: str
    #: The threshold in the message, or None when it has none.
    limit: float | None
    #: True when ``limit`` is a share, printed as a percentage.
    percent: bool

    def __new__(cls, message: str, limit: float | None = None, *, percent: bool = False) -> Flag:
        shown = "" if limit is None else f"{limit:.0%}" if percent else str(limit)
        flag = super().__new__(cls, message % {"limit": shown} if limit is not None else message)
        flag.message, flag.limit, flag.percent = message, limit, percent
        return flag

    def __reduce__(self) -> tuple[Any, ...]:
        return (_flag, (self.message, self.limit, self.percent))


def _flag(message: str, limit: float | None, percent: bool) -> Flag:
    return Flag(message, limit, percent=percent)


Responses = Mapping[str, ResponseValue | None]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The flag thresholds (docs/rubric-health.md); the defaults are the documented ones."""

    alpha_low: float = ALPHA_LOW
    alpha_redundant: float = ALPHA_REDUNDANT
    item_total_low: float = ITEM_TOTAL_LOW
    floor_ceiling_high: float = FLOOR_CEILING_HIGH


@dataclass(frozen=True, slots=True)
class ItemHealth:
    id: str
    level: str
    mean: float | None
    variance: float | None
    #: Pearson r of the item with the sum of the behavior's *other* items.
    item_total: float | None
    no_variance: bool
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class BehaviorHealth:
    competency_id: str
    id: str
    name: str
    #: Complete respondents (every item of the behavior answered with a number).
    n: int
    #: True when ``n`` is below the minimum: every figure below is then None.
    suppressed: bool
    alpha: float | None = None
    #: Share of respondents whose demonstrated levels break the level order.
    guttman_breaks: float | None = None
    floor: float | None = None
    ceiling: float | None = None
    items: tuple[ItemHealth, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def no_variance_items(self) -> list[str]:
        return [item.id for item in self.items if item.no_variance]


@dataclass(frozen=True, slots=True)
class RubricHealth:
    rubric_id: str
    version: str
    respondents: int
    min_n: int
    thresholds: Thresholds
    behaviors: tuple[BehaviorHealth, ...] = field(default_factory=tuple)

    @property
    def flag_count(self) -> int:
        return sum(len(b.flags) + sum(len(i.flags) for i in b.items) for b in self.behaviors)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``--format json`` and the API)."""
        data = asdict(self)
        for behavior, source in zip(data["behaviors"], self.behaviors, strict=True):
            behavior["no_variance_items"] = source.no_variance_items
        return data


def cronbach_alpha(columns: Sequence[Sequence[float]]) -> float | None:
    """alpha = k/(k-1) · (1 - Σ var_i / var_X) over k item columns of equal length.

    Sample variances (n - 1) throughout; the ratio is the same with population
    ones. None with fewer than two items or two people, or when the totals do
    not vary (alpha is undefined then).
    """
    k = len(columns)
    if k < 2 or len(columns[0]) < 2:
        return None
    totals = [sum(row) for row in zip(*columns, strict=True)]
    total_variance = statistics.variance(totals)
    if total_variance == 0:
        return None
    item_variances = sum(statistics.variance(column) for column in columns)
    return k / (k - 1) * (1 - item_variances / total_variance)


def corrected_item_total(columns: Sequence[Sequence[float]], index: int) -> float | None:
    """Pearson r of item ``index`` with the sum of the other items (None when undefined)."""
    if len(columns) < 2 or len(columns[0]) < 2:
        return None
    item = columns[index]
    rest = [sum(values) - own for values, own in zip(zip(*columns, strict=True), item, strict=True)]
    if statistics.pvariance(item) == 0 or statistics.pvariance(rest) == 0:
        return None
    return statistics.correlation(item, rest)


#: One respondent: their answers and, per behavior id, the engine's (level, consistent).
Scored = tuple[Responses, dict[str, tuple[int, bool]]]


def _scored(rubric: Rubric, answers: Responses) -> Scored:
    """Score once per respondent: every behavior's level and Guttman flag from the engine."""
    document = score_document(rubric, answers)
    outcomes = {
        behavior["id"]: (behavior["level"], behavior["consistent"])
        for competency in document["competencies"]
        for behavior in competency["behaviors"]
    }
    return answers, outcomes


def _complete_rows(
    item_ids: Sequence[str], people: Iterable[Scored]
) -> list[tuple[Scored, list[float]]]:
    rows: list[tuple[Scored, list[float]]] = []
    for person in people:
        values = [person[0].get(item_id) for item_id in item_ids]
        if all(is_score(value) for value in values):
            rows.append((person, [float(value) for value in values]))  # type: ignore[arg-type]
    return rows


def _item_health(
    item_id: str,
    level: str,
    columns: list[list[float]],
    index: int,
    limits: Thresholds,
) -> ItemHealth:
    column = columns[index]
    variance = statistics.variance(column)
    r = corrected_item_total(columns, index)
    flags: list[Flag] = []
    if variance == 0:
        flags.append(Flag(N_("no variance")))
    if r is not None and r < limits.item_total_low:
        flags.append(Flag(N_("item-total below %(limit)s"), limits.item_total_low))
    return ItemHealth(
        id=item_id,
        level=level,
        mean=statistics.fmean(column),
        variance=variance,
        item_total=r,
        no_variance=variance == 0,
        flags=tuple(flags),
    )


def _behavior_flags(
    alpha: float | None, floor: float, ceiling: float, limits: Thresholds
) -> list[Flag]:
    flags: list[Flag] = []
    if alpha is not None and alpha < limits.alpha_low:
        flags.append(Flag(N_("alpha below %(limit)s"), limits.alpha_low))
    if alpha is not None and alpha > limits.alpha_redundant:
        flags.append(Flag(N_("alpha above %(limit)s (redundant items?)"), limits.alpha_redundant))
    high = limits.floor_ceiling_high
    if floor > high:
        flags.append(Flag(N_("floor above %(limit)s"), high, percent=True))
    if ceiling > high:
        flags.append(Flag(N_("ceiling above %(limit)s"), high, percent=True))
    return flags


def behavior_health(
    rubric: Rubric,
    competency_id: str,
    behavior: Behavior,
    people: Sequence[Scored],
    *,
    min_n: int = DEFAULT_MIN_N,
    thresholds: Thresholds | None = None,
) -> BehaviorHealth:
    """The figures of one behavior over the respondents complete on it."""
    limits = thresholds or Thresholds()
    levels = rubric.behavior_levels(behavior)
    placed = [(item.id, level.id) for level in levels for item in behavior.levels[level.id].items]
    rows = _complete_rows([item_id for item_id, _ in placed], people)
    n = len(rows)
    # Below two people no variance exists, so the floor of min_n is 2 whatever is asked.
    if n < max(min_n, 2):
        return BehaviorHealth(competency_id, behavior.id, behavior.name, n=n, suppressed=True)
    columns = [list(column) for column in zip(*(values for _, values in rows), strict=True)]
    alpha = cronbach_alpha(columns)
    items = tuple(
        _item_health(item_id, level, columns, index, limits)
        for index, (item_id, level) in enumerate(placed)
    )
    top = max(level.order for level in levels)
    outcomes = [person[1][behavior.id] for person, _ in rows]
    breaks = sum(not consistent for _, consistent in outcomes) / n
    floor = sum(level == 0 for level, _ in outcomes) / n
    ceiling = sum(level == top for level, _ in outcomes) / n
    return BehaviorHealth(
        competency_id,
        behavior.id,
        behavior.name,
        n=n,
        suppressed=False,
        alpha=alpha,
        guttman_breaks=breaks,
        floor=floor,
        ceiling=ceiling,
        items=items,
        flags=tuple(_behavior_flags(alpha, floor, ceiling, limits)),
    )


def rubric_health(
    rubric: Rubric,
    responses: Iterable[Responses],
    *,
    min_n: int = DEFAULT_MIN_N,
    thresholds: Thresholds | None = None,
) -> RubricHealth:
    """Every behavior's health over the respondents' answers (item id → value).

    The answers are assumed valid for the rubric (``validate_responses``).
    """
    people = [_scored(rubric, answers) for answers in responses]
    return RubricHealth(
        rubric_id=rubric.id,
        version=rubric.version,
        respondents=len(people),
        min_n=min_n,
        thresholds=thresholds or Thresholds(),
        behaviors=tuple(
            behavior_health(
                rubric, competency.id, behavior, people, min_n=min_n, thresholds=thresholds
            )
            for competency in rubric.competencies
            for behavior in competency.behaviors
        ),
    )
