"""Chart geometry for the radar and line charts shared by the PDF report and the web pages.

This module holds the radar chart (the PDF report and the result and review
pages); the line chart is in :mod:`app.charts.line` and the shared
primitives in :mod:`app.charts.parts`. What follows applies to both.

Why geometry in Python and drawing in Jinja: the numbers (angles, rings,
label placement, the box that has to fit the labels) are easy to get wrong
and easy to unit-test as plain data, while the SVG markup is best written as
a template. The templates ``templates/charts/radar.svg.j2`` and
``templates/charts/line.svg.j2`` only print these dataclasses, through the one
autoescaping environment, so user text (behavior names, competency names)
needs no ``|safe`` and cannot inject markup.

Everything here is pure: no I/O, no FastAPI, no database. Coordinates are in
the chart's own user units; the SVG's ``viewBox`` makes it scale to whatever
width the page or the print stylesheet gives it.

Accessibility: every series differs in colour (Okabe-Ito palette, safe for
the common colour-vision deficiencies) *and* in dash pattern and marker shape,
so the charts stay readable in greyscale print; every chart carries a title,
a text description and a table of the same numbers (``rows``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markupsafe import Markup

from app.charts.parts import (
    LINE_HEIGHT,
    LINE_STYLES,
    MISSING,
    RADAR_STYLES,
    WRAP_LINES,
    WRAP_WIDTH,
    Anchor,
    ChartFrame,
    DrawnSeries,
    Label,
    Point,
    ViewBox,
    chart_id,
    describe_chart,
    legend_entries,
    marker,
    points_attr,
    segments_path,
    text_width,
    value_label,
    wrap_label,
)
from app.charts.radar_svg import radar_svg
from app.core import i18n
from app.core.i18n import N_

__all__ = [
    "LINE_STYLES",
    "MISSING",
    "RADAR_STYLES",
    "RadarChart",
    "RadarSeriesInput",
    "chart_id",
    "radar_chart",
    "wrap_label",
]

# -- radar -----------------------------------------------------------------------------------

#: Axis (behavior) names and the legend, in user units. A radar is about as wide
#: as its widest labels allow, so this sets their rendered size: at 15 units a
#: chart filling a 375 px phone's column draws them at about 11 CSS px (8 units
#: drew 7-8 px), and about 7.5 pt in the PDF's two-column grid.
AXIS_FONT_SIZE = 15.0
#: The level names on the rings: secondary, the table and the axis carry them too.
RING_FONT_SIZE = 10.0
#: From the outer ring to an axis label: clear of the top ring's level name.
AXIS_LABEL_GAP = 13.0


@dataclass(frozen=True, slots=True)
class RadarSeriesInput:
    """One series to plot: ``values`` in axis order, ``None`` where there is no value."""

    key: Literal["self", "coach", "target"]
    label: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class RadarAxis:
    name: str
    end: Point
    label: Label


@dataclass(frozen=True, slots=True)
class RadarRing:
    order: int
    name: str
    points: str
    label: Label
    #: A light box behind the ring's name so series lines crossing it stay readable.
    backdrop: ViewBox


@dataclass(frozen=True, slots=True)
class RadarSeries(DrawnSeries):
    key: str
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class RadarChart(ChartFrame):
    """Everything ``templates/charts/radar.svg.j2`` draws; see :func:`radar_chart`.

    ``rows``: one per axis."""

    radius: float
    axes: tuple[RadarAxis, ...]
    rings: tuple[RadarRing, ...]
    series: tuple[RadarSeries, ...]

    def svg(self, css_class: str = "chart chart-radar") -> Markup:
        """The chart as inline SVG, what ``{{ radar.svg(chart) }}`` prints (escaped, see
        :mod:`app.charts.radar_svg`)."""
        return radar_svg(self, css_class)


def _axis_label(name: str, angle: float, radius: float) -> Label:
    lines = wrap_label(name)
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = cos * radius, sin * radius
    anchor: Anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    size = AXIS_FONT_SIZE
    line_height = size * LINE_HEIGHT
    block = (len(lines) - 1) * line_height
    # Centre the block on the point, then push it outwards along the axis:
    # entirely above the point at the top, entirely below it at the bottom.
    first_baseline = y + size * 0.35 - block / 2 + sin * (block / 2 + size * 0.6)
    return Label(lines, x, first_baseline, anchor, line_height, size)


def _label_box(label: Label) -> tuple[float, float, float, float]:
    """Approximate (left, top, right, bottom) of a label, for sizing the view box."""
    width = max(text_width(line, label.size) for line in label.lines)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    top = label.y - label.size
    bottom = label.y + (len(label.lines) - 1) * label.line_height + label.size * 0.3
    return left, top, left + width, bottom


@dataclass(frozen=True, slots=True)
class _RadarFrame:
    """What a radar's axes and levels alone decide: the same for every chart of a rubric's
    competency, whatever its values (computed once, :func:`_frame`)."""

    #: (cos, sin) of each axis' angle, the first pointing up, then clockwise.
    directions: tuple[tuple[float, float], ...]
    axes: tuple[RadarAxis, ...]
    rings: tuple[RadarRing, ...]
    #: (left, top, right, bottom) of the drawing above the legend.
    box: tuple[float, float, float, float]


@lru_cache(maxsize=256)
def _frame(axes: tuple[str, ...], level_names: tuple[str, ...], radius: float) -> _RadarFrame:
    """The axes, rings and label box of a radar (pure, so kept per shape: a results page
    draws four charts and the review page four, each over the same few rubric shapes)."""
    top_level = len(level_names) - 1
    count = len(axes)
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)]

    def at(value: float, index: int) -> Point:
        r = radius * min(max(value, 0.0), top_level) / top_level
        return Point(math.cos(angles[index]) * r, math.sin(angles[index]) * r)

    chart_axes = tuple(
        RadarAxis(name, at(top_level, i), _axis_label(name, angles[i], radius + AXIS_LABEL_GAP))
        for i, name in enumerate(axes)
    )
    ring_size = RING_FONT_SIZE
    rings = []
    for k in range(1, top_level + 1):
        baseline = -radius * k / top_level - 1.5
        rings.append(
            RadarRing(
                order=k,
                name=level_names[k],
                points=points_attr([at(k, i) for i in range(count)]),
                label=Label((level_names[k],), 2.5, baseline, "start", 0, ring_size),
                backdrop=ViewBox(
                    1.5,
                    baseline - ring_size * 0.85,
                    text_width(level_names[k], ring_size) + 2,
                    ring_size * 1.1,
                ),
            )
        )
    # The box fits the labels, and is never smaller than room for the widest and
    # tallest label a wrapped name can have: charts side by side share one scale.
    boxes = [_label_box(axis.label) for axis in chart_axes]
    room_x = radius + AXIS_LABEL_GAP + text_width("x" * WRAP_WIDTH, AXIS_FONT_SIZE) + 4
    room_y = radius + AXIS_LABEL_GAP + AXIS_FONT_SIZE * (1.25 + LINE_HEIGHT * (WRAP_LINES - 1))
    box = (
        min([-room_x, *(b[0] - 4 for b in boxes)]),
        min([-room_y - 4, *(b[1] - 4 for b in boxes)]),
        max([room_x, *(b[2] + 4 for b in boxes)]),
        max([room_y + 8, *(b[3] + 8 for b in boxes)]),
    )
    return _RadarFrame(
        directions=tuple((math.cos(a), math.sin(a)) for a in angles),
        axes=chart_axes,
        rings=tuple(rings),
        box=box,
    )


def radar_chart(
    *,
    title: str,
    axes: Sequence[str],
    level_names: Sequence[str],
    series: Sequence[RadarSeriesInput],
    id: str | None = None,
    radius: float = 100.0,
    locale: str = i18n.SOURCE_LOCALE,
) -> RadarChart:
    """Geometry of a radar chart with one axis per name and rings per level.

    ``level_names[k]`` names level order ``k`` (index 0 is "Not yet"), so the
    scale runs from 0 at the centre to ``len(level_names) - 1`` on the outer
    ring. Values are clamped to that range. The first axis points up and the
    others follow clockwise.
    """
    if not axes:
        raise ValueError("a radar chart needs at least one axis")
    top_level = len(level_names) - 1
    if top_level < 1:
        raise ValueError("a radar chart needs at least one level above 0")
    frame = _frame(tuple(axes), tuple(level_names), radius)
    count = len(axes)

    def at(value: float, index: int) -> Point:
        r = radius * min(max(value, 0.0), top_level) / top_level
        cos, sin = frame.directions[index]
        return Point(cos * r, sin * r)

    drawn: list[RadarSeries] = []
    for item in series:
        if len(item.values) != count:
            raise ValueError(f"series {item.key!r} has {len(item.values)} values for {count} axes")
        style = RADAR_STYLES[item.key]
        points = [None if v is None else at(v, i) for i, v in enumerate(item.values)]
        drawn.append(
            RadarSeries(
                key=item.key,
                label=item.label,
                style=style,
                values=tuple(item.values),
                path=segments_path(points, closed=True),
                markers=tuple(marker(style.marker, p) for p in points if p is not None),
            )
        )

    left, top, right, bottom = frame.box
    legend, legend_height = legend_entries(
        [(s.label, s.style) for s in drawn],
        left=left + 4,
        top=bottom,
        max_width=right - left - 8,
        size=AXIS_FONT_SIZE,
    )
    view_box = ViewBox(left, top, right - left, bottom - top + legend_height + 4)

    header = (i18n.gettext(locale, N_("Behavior")), *(s.label for s in drawn))
    rows = tuple(
        (name, *(value_label(s.values[i], level_names, precise=s.key == "self") for s in drawn))
        for i, name in enumerate(axes)
    )
    description = describe_chart(
        N_("Radar chart, scale from %(low)s to %(high)s."),
        level_names,
        top_level,
        header,
        rows,
        locale,
    )
    return RadarChart(
        id=id or chart_id(title),
        title=title,
        description=description,
        view_box=view_box,
        radius=radius,
        axes=frame.axes,
        rings=frame.rings,
        series=tuple(drawn),
        legend=legend,
        header=header,
        rows=rows,
    )
