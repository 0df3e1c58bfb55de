"""Building blocks of the charts: points, markers, labels, legends, series styles.

Shared by the radar and line charts in :mod:`app.charts.radar` (see its
docstring for why geometry lives in Python). Coordinates are stored rounded to
two decimals because the SVG templates print them as they are.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.core import i18n
from app.core.i18n import N_

#: Font size of labels in user units; the templates print it as-is.
FONT_SIZE = 8.0
#: Rough advance width of an average glyph, as a fraction of the font size.
#: Only used to reserve room for labels, so a generous estimate is right.
GLYPH_WIDTH = 0.56
LINE_HEIGHT = 1.2

MarkerShape = Literal["circle", "square", "diamond", "triangle"]
Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True, slots=True)
class SeriesStyle:
    """How one series is drawn: colour plus a dash pattern and a marker shape."""

    stroke: str
    dasharray: str  # "" for a solid line
    marker: MarkerShape
    fill: str = "none"
    fill_opacity: float = 0.0
    stroke_width: float = 1.6


#: The radar's three series. Blue / vermillion / near-black are distinct for
#: deuteranopia, protanopia and tritanopia, and differ in lightness in greyscale.
RADAR_STYLES: dict[str, SeriesStyle] = {
    "self": SeriesStyle("#0072B2", "", "circle", fill="#0072B2", fill_opacity=0.14),
    "coach": SeriesStyle("#D55E00", "5 3", "square"),
    "target": SeriesStyle("#333333", "1.5 2.5", "diamond"),
}

#: Line-chart series cycle through these (Okabe-Ito colours, four dash patterns).
LINE_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072B2", "", "circle"),
    SeriesStyle("#D55E00", "5 3", "square"),
    SeriesStyle("#009E73", "8 3 2 3", "diamond"),
    SeriesStyle("#CC79A7", "1.5 2.5", "triangle"),
    SeriesStyle("#333333", "", "square"),
    SeriesStyle("#E69F00", "5 3", "circle"),
    SeriesStyle("#56B4E9", "8 3 2 3", "triangle"),
)


def round_fields(obj: object, *names: str) -> None:
    """Store coordinates with 2 decimals: templates print them as they are."""
    for name in names:
        object.__setattr__(obj, name, round(getattr(obj, name), 2) + 0.0)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float

    def __post_init__(self) -> None:
        round_fields(self, "x", "y")


@dataclass(frozen=True, slots=True)
class Marker:
    """A data point's marker: a circle, or a polygon given as an SVG ``points`` list."""

    shape: MarkerShape
    x: float
    y: float
    radius: float
    points: str  # polygon points; "" for a circle

    def __post_init__(self) -> None:
        round_fields(self, "x", "y", "radius")


@dataclass(frozen=True, slots=True)
class Label:
    """A possibly multi-line text label; ``lines`` are drawn from baseline ``y`` downwards."""

    lines: tuple[str, ...]
    x: float
    y: float
    anchor: Anchor
    line_height: float
    size: float

    def __post_init__(self) -> None:
        round_fields(self, "x", "y", "line_height", "size")


@dataclass(frozen=True, slots=True)
class LegendEntry:
    label: str
    style: SeriesStyle
    line_from: Point
    line_to: Point
    marker: Marker
    text: Label


@dataclass(frozen=True, slots=True)
class ViewBox:
    x: float
    y: float
    width: float
    height: float

    def __post_init__(self) -> None:
        round_fields(self, "x", "y", "width", "height")

    def __str__(self) -> str:
        return f"{number(self.x)} {number(self.y)} {number(self.width)} {number(self.height)}"


@dataclass(frozen=True, slots=True)
class DrawnSeries:
    """What either chart draws of one series: its legend label and style, its line, markers."""

    label: str
    style: SeriesStyle
    path: str
    markers: tuple[Marker, ...]


@dataclass(frozen=True, slots=True)
class ChartFrame:
    """What every chart carries around its geometry: a title and a text description for
    screen readers, the view box, the legend, and the same numbers as a table (``header``,
    then ``rows``). The radar and line charts extend it with what they draw."""

    id: str
    title: str
    description: str
    view_box: ViewBox
    legend: tuple[LegendEntry, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# -- helpers -------------------------------------------------------------------------------


def number(value: float) -> str:
    """A coordinate as short text: two decimals, no trailing zeros, no ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def points_attr(points: Sequence[Point]) -> str:
    return " ".join(f"{number(p.x)},{number(p.y)}" for p in points)


def chart_id(text: str) -> str:
    """An id safe for SVG/HTML ``id`` attributes, derived from any text."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"chart-{slug or 'x'}"


WRAP_WIDTH = 14
WRAP_LINES = 3


def wrap_label(text: str, width: int = WRAP_WIDTH, max_lines: int = WRAP_LINES) -> tuple[str, ...]:
    """Wrap a label into at most ``max_lines`` lines, ending with "…" when cut."""
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return tuple(lines)


def text_width(line: str, size: float = FONT_SIZE) -> float:
    return len(line) * size * GLYPH_WIDTH


def marker(shape: MarkerShape, at: Point, radius: float = 2.6) -> Marker:
    """The marker of a series at a point; polygons are computed here, not in SVG."""
    x, y, r = at.x, at.y, radius
    if shape == "circle":
        return Marker(shape, x, y, r, "")
    if shape == "square":
        s = r * 0.9
        corners = [
            Point(x - s, y - s),
            Point(x + s, y - s),
            Point(x + s, y + s),
            Point(x - s, y + s),
        ]
    elif shape == "diamond":
        s = r * 1.25
        corners = [Point(x, y - s), Point(x + s, y), Point(x, y + s), Point(x - s, y)]
    else:  # triangle
        s = r * 1.25
        corners = [Point(x, y - s), Point(x + s, y + s * 0.8), Point(x - s, y + s * 0.8)]
    return Marker(shape, x, y, r, points_attr(corners))


def segments_path(points: Sequence[Point | None], *, closed: bool) -> str:
    """An SVG path through runs of present points; a gap (``None``) breaks the line.

    A closed shape (the radar) with every point present becomes one polygon;
    with gaps it becomes open runs that wrap around from the last axis to the
    first, so a missing rating never draws a line to the centre.
    """
    if not points:
        return ""
    if closed and all(p is not None for p in points):
        present = [p for p in points if p is not None]
        return "M " + " L ".join(f"{number(p.x)} {number(p.y)}" for p in present) + " Z"
    count = len(points)
    order = list(range(count))
    if closed:
        # Start right after a gap so a run crossing the end of the list stays whole.
        first_gap = next(i for i, p in enumerate(points) if p is None)
        order = [(first_gap + 1 + k) % count for k in range(count)]
    runs: list[list[Point]] = []
    current: list[Point] = []
    for index in order:
        point = points[index]
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return " ".join(
        "M " + " L ".join(f"{number(p.x)} {number(p.y)}" for p in run)
        for run in runs
        if len(run) > 1
    )


def legend_entries(
    entries: Sequence[tuple[str, SeriesStyle]],
    *,
    left: float,
    top: float,
    max_width: float,
    size: float = FONT_SIZE,
) -> tuple[tuple[LegendEntry, ...], float]:
    """Legend entries laid out left to right, wrapping; returns them and the height used
    (``size``: the text's font size in user units)."""
    result: list[LegendEntry] = []
    x, y = left, top + size * 0.6
    sample = 18.0
    row_height = size * 1.8
    for label, style in entries:
        width = sample + 4 + text_width(label, size) + 12
        if x > left and x + width > left + max_width:
            x, y = left, y + row_height
        mid = Point(x + sample / 2, y)
        result.append(
            LegendEntry(
                label=label,
                style=style,
                line_from=Point(x, y),
                line_to=Point(x + sample, y),
                marker=marker(style.marker, mid),
                text=Label((label,), x + sample + 4, y + size * 0.35, "start", 0, size),
            )
        )
        x += width
    height = (y - top) + row_height * 0.7 if entries else 0.0
    return tuple(result), height


def describe_chart(
    kind: str,
    level_names: Sequence[str],
    top_level: int,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    locale: str = i18n.SOURCE_LOCALE,
) -> str:
    """The SVG ``<desc>`` in ``locale``: what the chart is (``kind``, a catalog string with
    ``%(low)s`` and ``%(high)s``), its scale, then its table as sentences."""
    scale = {
        "low": f"0 ({level_names[0]})",
        "high": f"{top_level} ({level_names[top_level]})",
    }
    return f"{i18n.gettext(locale, kind) % scale} {describe_rows(header, rows, locale)}"


def describe_rows(
    header: Sequence[str], rows: Sequence[Sequence[str]], locale: str = i18n.SOURCE_LOCALE
) -> str:
    """The table as sentences, for the SVG ``<desc>``; missing values are left out."""
    sentences = []
    for row in rows:
        values = [
            f"{label} {value}"
            for label, value in zip(header[1:], row[1:], strict=True)
            if value != MISSING
        ]
        none = i18n.gettext(locale, N_("no values"))
        sentences.append(f"{row[0]}: {', '.join(values) or none}.")
    return " ".join(sentences)


MISSING = "\u2013"  # an en dash: "no value"


def value_label(value: float | None, level_names: Sequence[str], *, precise: bool) -> str:
    """A value as people read it: "Advanced (3)", or "2.45 (Intermediate)" for a score."""
    if value is None:
        return MISSING
    order = int(value)
    name = level_names[order] if 0 <= order < len(level_names) else str(order)
    if precise and value != order:
        return f"{value:.2f} ({name})"
    return f"{name} ({order})"


def format_date(day: date, locale: str = i18n.SOURCE_LOCALE) -> str:
    """A tick's date: "1 Dec 2026" in the source language, else as ``locale`` writes it."""
    if locale == i18n.SOURCE_LOCALE:
        return f"{day.day} {day:%b %Y}"
    return i18n.format_date_in(locale, day)
