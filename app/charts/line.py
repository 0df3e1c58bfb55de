"""Geometry of the line chart (levels over time) of the PDF report.

The radar chart and the drawing conventions shared by both charts (palette,
dash patterns, markers, labels, accessible tables) are described in
:mod:`app.charts.radar`; the primitives live in :mod:`app.charts.parts`.
The template ``templates/charts/line.svg.j2`` only prints these dataclasses.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.charts.parts import (
    FONT_SIZE,
    LINE_HEIGHT,
    LINE_STYLES,
    ChartFrame,
    DrawnSeries,
    Label,
    Point,
    ViewBox,
    chart_id,
    describe_chart,
    format_date,
    legend_entries,
    marker,
    round_fields,
    segments_path,
    text_width,
    value_label,
)
from app.core import i18n
from app.core.i18n import N_

__all__ = ["LineChart", "LineSeriesInput", "line_chart"]


@dataclass(frozen=True, slots=True)
class LineSeriesInput:
    """One line: ``values[i]`` belongs to ``dates[i]`` of the chart; ``None`` is a gap."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Tick:
    label: Label
    at: float  # x for date ticks, y for level ticks

    def __post_init__(self) -> None:
        round_fields(self, "at")


#: One line: the shared series drawing, nothing more.
LineSeries = DrawnSeries


@dataclass(frozen=True, slots=True)
class LineChart(ChartFrame):
    """Everything ``templates/charts/line.svg.j2`` draws; see :func:`line_chart`."""

    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_axis_label: Label
    y_axis_label: Label
    series: tuple[LineSeries, ...]

    def __post_init__(self) -> None:
        round_fields(self, "plot_left", "plot_right", "plot_top", "plot_bottom")


def line_chart(
    *,
    title: str,
    dates: Sequence[date],
    level_names: Sequence[str],
    series: Sequence[LineSeriesInput],
    id: str | None = None,
    width: float = 300.0,
    height: float = 140.0,
    x_axis_label: str = "Assessment date",
    y_axis_label: str = "Level",
    locale: str = i18n.SOURCE_LOCALE,
) -> LineChart:
    """Geometry of a line chart: dates on x (proportional to time), levels 0..max on y.

    ``locale``: the language of its dates and description (the labels are the caller's)."""
    if not dates:
        raise ValueError("a line chart needs at least one date")
    top_level = len(level_names) - 1
    if top_level < 1:
        raise ValueError("a line chart needs at least one level above 0")
    label_width = max(text_width(name) for name in level_names)
    plot_left = label_width + FONT_SIZE * 2.6  # level names, then the rotated axis title
    plot_top = FONT_SIZE
    plot_right = plot_left + width
    plot_bottom = plot_top + height
    # Keep the first and last date labels inside the plot's width.
    inset = max(width * 0.06, max(text_width(format_date(d, locale)) for d in dates) / 2 + 2)
    first, last = min(dates), max(dates)
    span = (last - first).days

    def x_of(day: date) -> float:
        if span == 0:
            return plot_left + width / 2
        return plot_left + inset + (width - 2 * inset) * (day - first).days / span

    def y_of(value: float) -> float:
        return plot_bottom - height * min(max(value, 0.0), top_level) / top_level

    y_ticks = tuple(
        Tick(
            Label((name,), plot_left - 5, y_of(k) + FONT_SIZE * 0.35, "end", 0, FONT_SIZE), y_of(k)
        )
        for k, name in enumerate(level_names)
    )
    x_ticks: list[Tick] = []
    row_ends: list[float] = []  # right edge of the last label on each row, to stagger overlaps
    for day in sorted(set(dates)):
        text = format_date(day, locale)
        x = x_of(day)
        half = text_width(text) / 2
        row = next((i for i, end in enumerate(row_ends) if end + 4 < x - half), len(row_ends))
        if row == len(row_ends):
            row_ends.append(x + half)
        else:
            row_ends[row] = x + half
        y = plot_bottom + FONT_SIZE * 1.5 + row * FONT_SIZE * LINE_HEIGHT
        x_ticks.append(Tick(Label((text,), x, y, "middle", 0, FONT_SIZE), x))
    rows_used = max(1, len(row_ends))
    x_title_y = (
        plot_bottom + FONT_SIZE * 1.5 + rows_used * FONT_SIZE * LINE_HEIGHT + FONT_SIZE * 0.6
    )
    x_title = Label((x_axis_label,), plot_left + width / 2, x_title_y, "middle", 0, FONT_SIZE)
    y_title = Label(
        (y_axis_label,), -(plot_top + height / 2), FONT_SIZE * 1.0, "middle", 0, FONT_SIZE
    )  # drawn rotated by -90°, so x/y are swapped and x negated

    drawn: list[LineSeries] = []
    for index, item in enumerate(series):
        if len(item.values) != len(dates):
            raise ValueError(
                f"series {item.label!r} has {len(item.values)} values for {len(dates)} dates"
            )
        style = LINE_STYLES[index % len(LINE_STYLES)]
        pairs = sorted(zip(dates, item.values, strict=True), key=lambda pair: pair[0])
        points = [None if v is None else Point(x_of(d), y_of(v)) for d, v in pairs]
        drawn.append(
            LineSeries(
                label=item.label,
                style=style,
                path=segments_path(points, closed=False),
                markers=tuple(marker(style.marker, p) for p in points if p is not None),
            )
        )

    legend_top = x_title_y + FONT_SIZE * 1.2
    legend, legend_height = (
        legend_entries(
            [(s.label, s.style) for s in drawn], left=plot_left, top=legend_top, max_width=width
        )
        if len(drawn) > 1
        else ((), 0.0)
    )
    right = max(
        plot_right + 6, *(t.label.x + text_width(t.label.lines[0]) / 2 + 2 for t in x_ticks)
    )
    view_box = ViewBox(0, 0, right, legend_top + legend_height)

    ordered = sorted(range(len(dates)), key=lambda i: dates[i])
    header = (x_axis_label, *(s.label for s in series))
    rows = tuple(
        (
            format_date(dates[i], locale),
            *(value_label(s.values[i], level_names, precise=True) for s in series),
        )
        for i in ordered
    )
    description = describe_chart(
        N_("Line chart of levels over time, %(low)s to %(high)s."),
        level_names,
        top_level,
        header,
        rows,
        locale,
    )
    return LineChart(
        id=id or chart_id(title),
        title=title,
        description=description,
        view_box=view_box,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=tuple(x_ticks),
        y_ticks=y_ticks,
        x_axis_label=x_title,
        y_axis_label=y_title,
        series=tuple(drawn),
        legend=legend,
        header=header,
        rows=rows,
    )
