"""Geometry of the feedback dot chart: one behavior, self / coach / raters on one level axis.

Each row is a source on the same x axis of levels (1 .. max): "Self" and
"Coach" as one dot at their level, each shown group of raters as a dot per
level whose area grows with the raters' count there (the number printed
beside it), and its median as a vertical tick. The page and the PDF draw
it with ``templates/charts/dots.svg.j2``, which only prints these
dataclasses; ``dots.table`` is the same numbers as an HTML table. Pure: no
I/O; the chart knows nothing of raters, only counts already aggregated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.charts.parts import ViewBox, chart_id, round_fields
from app.core import i18n
from app.core.i18n import N_

__all__ = ["DotChart", "DotRowInput", "dot_chart"]

WIDTH = 340.0
LABEL_WIDTH = 120.0
ROW_HEIGHT = 24.0
AXIS_HEIGHT = 18.0
PAD = 6.0
MAX_RADIUS = 9.0
SINGLE_RADIUS = 5.0


@dataclass(frozen=True, slots=True)
class DotRowInput:
    """One row: ``level`` for a single source (self, coach), else ``counts`` per level."""

    label: str
    kind: str  # "self" | "coach" | "raters"
    level: int | None = None
    counts: Sequence[int] = ()
    median: float | None = None


@dataclass(frozen=True, slots=True)
class Dot:
    cx: float
    cy: float
    r: float
    count: int
    #: The number beside the dot (raters' rows only).
    label_x: float

    def __post_init__(self) -> None:
        round_fields(self, "cx", "cy", "r", "label_x")


@dataclass(frozen=True, slots=True)
class DotRow:
    label: str
    kind: str
    label_y: float
    y: float
    dots: tuple[Dot, ...]
    #: x of the median tick (raters' rows), None otherwise.
    median_x: float | None
    summary: str

    def __post_init__(self) -> None:
        round_fields(self, "label_y", "y")
        if self.median_x is not None:
            round_fields(self, "median_x")


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    name: str

    def __post_init__(self) -> None:
        round_fields(self, "x")


@dataclass(frozen=True, slots=True)
class DotChart:
    """Everything ``templates/charts/dots.svg.j2`` draws; see :func:`dot_chart`."""

    id: str
    title: str
    description: str
    view_box: ViewBox
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    ticks: tuple[Tick, ...]
    rows: tuple[DotRow, ...]


def dot_chart(
    *,
    title: str,
    level_names: Sequence[str],
    rows: Sequence[DotRowInput],
    id: str | None = None,
    locale: str = i18n.SOURCE_LOCALE,
) -> DotChart:
    """Lay out ``rows`` over the levels ``level_names`` (index 0 = level order 1).

    ``locale``: the language of the chart's description (the labels are the caller's)."""
    levels = len(level_names)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - PAD
    step = (plot_right - plot_left) / max(levels, 1)

    def x_of(order: float) -> float:
        return plot_left + (order - 0.5) * step

    most = max((max(row.counts, default=0) for row in rows), default=0) or 1
    drawn = []
    for number, row in enumerate(rows):
        y = AXIS_HEIGHT + (number + 0.5) * ROW_HEIGHT
        if row.kind == "raters":
            dots = tuple(
                Dot(
                    cx=x_of(index + 1),
                    cy=y,
                    r=MAX_RADIUS * math.sqrt(count / most),
                    count=count,
                    label_x=x_of(index + 1) + MAX_RADIUS * math.sqrt(count / most) + 2,
                )
                for index, count in enumerate(row.counts)
                if count
            )
            median_x = None if row.median is None else x_of(row.median)
        else:
            dots = () if not row.level else (Dot(x_of(row.level), y, SINGLE_RADIUS, 1, 0.0),)
            median_x = None
        drawn.append(
            DotRow(
                label=row.label,
                kind=row.kind,
                label_y=y + 3,
                y=y,
                dots=dots,
                median_x=median_x,
                summary=_summary(row, level_names, locale),
            )
        )
    height = AXIS_HEIGHT + len(rows) * ROW_HEIGHT + PAD
    return DotChart(
        id=id or chart_id(title),
        title=title,
        description="; ".join(row.summary for row in drawn),
        view_box=ViewBox(0, 0, WIDTH, height),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=AXIS_HEIGHT,
        plot_bottom=height - PAD,
        ticks=tuple(
            Tick(x_of(order), str(order), name) for order, name in enumerate(level_names, 1)
        ),
        rows=tuple(drawn),
    )


def level_text(value: float, level_names: Sequence[str], locale: str = i18n.SOURCE_LOCALE) -> str:
    """A level order (possibly a half) in words: "Advanced", "between Intermediate and Advanced"."""
    if value < 1:
        return i18n.gettext(locale, N_("Not yet"))
    if value == int(value):
        index = int(value) - 1
        return level_names[index] if index < len(level_names) else str(value)
    low, high = math.floor(value) - 1, math.ceil(value) - 1
    if low >= 0 and high < len(level_names):
        return i18n.gettext(locale, N_("between %(low)s and %(high)s")) % {
            "low": level_names[low],
            "high": level_names[high],
        }
    return str(value)


def _summary(row: DotRowInput, level_names: Sequence[str], locale: str) -> str:
    if row.kind != "raters":
        level = (
            i18n.gettext(locale, N_("no level"))
            if row.level is None
            else level_text(row.level, level_names, locale)
        )
        return f"{row.label}: {level}"
    counts = ", ".join(
        f"{name} {count}" for name, count in zip(level_names, row.counts, strict=False) if count
    )
    median = (
        ""
        if row.median is None
        else ", "
        + i18n.gettext(locale, N_("median %(level)s"))
        % {"level": level_text(row.median, level_names, locale)}
    )
    return f"{row.label}: {counts}{median}"
