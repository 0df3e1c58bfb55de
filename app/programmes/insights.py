"""Team insights, shaped: distributions, strongest and weakest behaviors, change, heatmap.

Pure functions over the plain figures the database aggregated
(:mod:`app.programmes.insights_repository`): counts per (behavior, level),
counts per (behavior, shift) and one page of per-member levels. No session,
no queries; the rules of what a programme lead may see (the minimum group
size, suppressed cells, figures too close to each other) are applied here,
once, so the API, the pages and the exports show the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from app.scoring.tallies import mean_of, median_of

#: How many behaviors "strongest" and "weakest" name.
EXTREMES = 3

_Outer = TypeVar("_Outer")
_Inner = TypeVar("_Inner")


class Source(StrEnum):
    """Whose level a figure counts: the participant's own or the coach's."""

    self = "self"
    coach = "coach"


class Audience(StrEnum):
    """Who looks: individual figures (coach of the members, admin) or aggregates only (lead)."""

    individual = "individual"
    aggregate = "aggregate"


@dataclass(frozen=True, slots=True)
class BehaviorRef:
    """A behavior of the rubric, in rubric order, with its competency."""

    id: str
    name: str
    competency_id: str
    competency_name: str


@dataclass(frozen=True, slots=True)
class LevelCount:
    """How many members a (behavior, level) cell holds; ``None`` when suppressed."""

    level: int
    count: int | None


@dataclass(frozen=True, slots=True)
class BehaviorDistribution:
    behavior: BehaviorRef
    #: Members with a level for this behavior; ``None`` when not shown to a lead.
    rated: int | None
    counts: tuple[LevelCount, ...]
    mean: float | None
    median: float | None
    #: Why a lead sees less of this row ("" when everything is shown).
    suppressed: str = ""


@dataclass(frozen=True, slots=True)
class Distributions:
    source: Source
    group_size: int
    levels: tuple[int, ...]
    behaviors: tuple[BehaviorDistribution, ...]
    strongest: tuple[BehaviorDistribution, ...]
    weakest: tuple[BehaviorDistribution, ...]


@dataclass(frozen=True, slots=True)
class BehaviorChange:
    behavior: BehaviorRef
    #: Members with a level in both cycles; ``None`` when not shown to a lead.
    paired: int | None
    mean_shift: float | None
    median_shift: float | None
    suppressed: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    source: Source
    behaviors: tuple[BehaviorChange, ...]


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    member_id: int
    name: str
    #: behavior id → level (absent: no level for that behavior).
    levels: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Heatmap:
    source: Source
    behaviors: tuple[BehaviorRef, ...]
    rows: tuple[HeatmapRow, ...]


def apart(a: int, b: int, *, minimum: int) -> bool:
    """Whether two head counts may both be shown: equal, or at least ``minimum`` apart.

    Two totals that differ by one person (a group of 9 and 8 rated) tell a
    reader something about that one person; a difference of at least the
    minimum group size does not single anyone out.
    """
    return a == b or abs(a - b) >= minimum


def suppress_cells(counts: Mapping[int, int], *, minimum: int) -> dict[int, int | None]:
    """Hide every cell of 1..minimum-1 people, and enough others that none can be derived.

    The row total is known (or nearly), so the hidden cells' sum can always
    be computed from the shown ones: hiding continues with the smallest shown
    cells until the hidden people number at least ``minimum`` (or all is
    hidden). Empty cells stay shown: "nobody" identifies no one.
    """
    shown: dict[int, int | None] = dict(counts)
    hidden = [level for level, n in counts.items() if 0 < n < minimum]
    for level in hidden:
        shown[level] = None
    if not hidden:
        return shown
    mass = sum(counts[level] for level in hidden)
    candidates = sorted(
        (level for level, n in counts.items() if n >= minimum), key=lambda lv: (counts[lv], lv)
    )
    for level in candidates:
        if mass >= minimum:
            break
        shown[level] = None
        mass += counts[level]
    return shown


def shape_distributions(
    *,
    behaviors: Sequence[BehaviorRef],
    levels: Sequence[int],
    counts: Iterable[tuple[str, int, int]],
    group_size: int,
    source: Source,
    audience: Audience,
    minimum: int,
) -> Distributions:
    """Per behavior: members per level, mean and median; then the strongest and weakest.

    ``counts`` are ``(behavior_id, level, members)`` rows as ``GROUP BY``
    returned them. For a lead, cells under ``minimum`` are suppressed, and a
    behavior rated by too few or by a count too close to the group size shows
    no figures at all. Strongest/weakest rank by mean (ties: rubric order),
    among behaviors whose figures are shown.
    """
    by_behavior = _nested(counts)
    aggregate = audience is Audience.aggregate
    rows: list[BehaviorDistribution] = []
    for behavior in behaviors:
        cells = {level: by_behavior.get(behavior.id, {}).get(level, 0) for level in levels}
        rated = sum(cells.values())
        if aggregate and (rated < minimum or not apart(rated, group_size, minimum=minimum)):
            rows.append(
                BehaviorDistribution(
                    behavior=behavior,
                    rated=None,
                    counts=tuple(LevelCount(level, None) for level in levels),
                    mean=None,
                    median=None,
                    suppressed="too few levels to show without identifying someone",
                )
            )
            continue
        shown = suppress_cells(cells, minimum=minimum) if aggregate else dict(cells)
        rows.append(
            BehaviorDistribution(
                behavior=behavior,
                rated=rated,
                counts=tuple(LevelCount(level, shown[level]) for level in levels),
                mean=mean_of(cells),
                median=median_of(cells),
                suppressed="small cells hidden" if None in shown.values() else "",
            )
        )
    ranked = [row for row in rows if row.mean is not None]
    order = {behavior.id: i for i, behavior in enumerate(behaviors)}
    by_strength = sorted(ranked, key=lambda r: (-(r.mean or 0.0), order[r.behavior.id]))
    by_weakness = sorted(ranked, key=lambda r: (r.mean or 0.0, order[r.behavior.id]))
    count = min(EXTREMES, len(ranked) // 2)
    return Distributions(
        source=source,
        group_size=group_size,
        levels=tuple(levels),
        behaviors=tuple(rows),
        strongest=tuple(by_strength[:count]),
        weakest=tuple(by_weakness[:count]),
    )


def shape_change(
    *,
    behaviors: Sequence[BehaviorRef],
    shifts: Iterable[tuple[str, int, int]],
    source: Source,
    audience: Audience,
    minimum: int,
) -> Change:
    """Per behavior, the median and mean shift of the members present in both cycles.

    ``shifts`` are ``(behavior_id, level_now - level_before, members)`` rows
    as ``GROUP BY`` returned them. A lead sees no figure paired over fewer
    than ``minimum`` members.
    """
    by_behavior = _nested(shifts)
    rows: list[BehaviorChange] = []
    for behavior in behaviors:
        cells = by_behavior.get(behavior.id, {})
        paired = sum(cells.values())
        if audience is Audience.aggregate and paired < minimum:
            rows.append(
                BehaviorChange(
                    behavior=behavior,
                    paired=None,
                    mean_shift=None,
                    median_shift=None,
                    suppressed="too few members in both cycles",
                )
            )
            continue
        rows.append(
            BehaviorChange(
                behavior=behavior,
                paired=paired,
                mean_shift=mean_of(cells),
                median_shift=median_of(cells),
            )
        )
    return Change(source=source, behaviors=tuple(rows))


def shape_heatmap(
    *,
    behaviors: Sequence[BehaviorRef],
    members: Sequence[tuple[int, str]],
    levels: Iterable[tuple[int, str, int]],
    source: Source,
) -> Heatmap:
    """One page of the heatmap: members (in page order) x behaviors (in rubric order).

    ``levels`` are ``(member_id, behavior_id, level)`` rows of the page's members.
    """
    by_member = _nested(levels)
    return Heatmap(
        source=source,
        behaviors=tuple(behaviors),
        rows=tuple(
            HeatmapRow(member_id=member_id, name=name, levels=by_member.get(member_id, {}))
            for member_id, name in members
        ),
    )


def _nested(rows: Iterable[tuple[_Outer, _Inner, int]]) -> dict[_Outer, dict[_Inner, int]]:
    """``(outer, inner, number)`` rows, as ``GROUP BY`` returned them, as outer → inner → number."""
    nested: dict[_Outer, dict[_Inner, int]] = {}
    for outer, inner, number in rows:
        nested.setdefault(outer, {})[inner] = number
    return nested
