"""The radar chart's SVG markup, written in Python: ``{{ radar.svg(chart) }}`` prints it.

It writes what the Jinja macro ``svg`` of ``templates/charts/radar.svg.j2``
wrote, byte for byte (``tests/charts/test_radar_svg.py`` renders both and
compares), at a fraction of the cost: a results page draws four radars, each
about 150 elements, and every one of them went through macro calls and
attribute look-ups. The template keeps the small macros the line chart
shares (``marker_shape``, ``text_label``, ``legend``).

Every value is passed through :func:`markupsafe.escape`, as autoescaping
did: the texts (title, description, behavior and level names, legend
labels) are user data; the numbers and styles are ours but escaped all the
same. The result is :class:`~markupsafe.Markup` only once built from escaped
parts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from app.charts.parts import Label, LegendEntry, Marker, SeriesStyle

if TYPE_CHECKING:  # app.charts.radar imports this module: RadarChart.svg
    from app.charts.radar import RadarAxis, RadarChart, RadarRing

__all__ = ["radar_svg"]


def _e(value: object) -> str:
    """A value as autoescaping prints it (a number's text has nothing to escape)."""
    if type(value) is float or type(value) is int:
        return str(value)
    return str(escape(value))


def _marker(m: Marker, style: SeriesStyle) -> str:
    if m.shape == "circle":
        return (
            f'<circle cx="{_e(m.x)}" cy="{_e(m.y)}" r="{_e(m.radius)}" fill="{_e(style.stroke)}"'
            ' stroke="#ffffff" stroke-width="0.6"/>\n'
        )
    return (
        f'<polygon points="{_e(m.points)}" fill="{_e(style.stroke)}"'
        ' stroke="#ffffff" stroke-width="0.6"/>\n'
    )


def _text(label: Label, fill: str = "#333333", weight: str = "normal") -> str:
    x = _e(label.x)
    tspans = "".join(
        f'<tspan x="{x}" dy="{"0" if i == 0 else _e(label.line_height)}">{_e(line)}</tspan>'
        for i, line in enumerate(label.lines)
    )
    return (
        f'<text x="{x}" y="{_e(label.y)}" text-anchor="{_e(label.anchor)}"'
        f' font-size="{_e(label.size)}" font-weight="{_e(weight)}" fill="{_e(fill)}">'
        f"{tspans}</text>"
    )


def _dash(style: SeriesStyle) -> str:
    return f' stroke-dasharray="{_e(style.dasharray)}"' if style.dasharray else ""


def _legend(entries: tuple[LegendEntry, ...]) -> str:
    parts = ['<g class="chart-legend">\n']
    for entry in entries:
        style = entry.style
        parts.append(
            f'<line x1="{_e(entry.line_from.x)}" y1="{_e(entry.line_from.y)}"'
            f' x2="{_e(entry.line_to.x)}" y2="{_e(entry.line_to.y)}" stroke="{_e(style.stroke)}"'
            f' stroke-width="{_e(style.stroke_width)}"{_dash(style)} stroke-linecap="round"/>\n'
        )
        parts.append(_marker(entry.marker, style) + "\n")
        parts.append(_text(entry.text) + "\n")
    parts.append("</g>")
    return "".join(parts)


def radar_svg(chart: RadarChart, css_class: str = "chart chart-radar") -> Markup:
    """The inline ``<svg role="img">`` of ``chart``, with its ``<title>`` and ``<desc>``."""
    cid = _e(chart.id)
    title = _e(chart.title)
    box = chart.view_box
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_e(css_class)}" viewBox="{_e(box)}"'
        f' width="{_e(box.width)}" height="{_e(box.height)}" role="img" aria-label="{title}"'
        f' aria-describedby="{cid}-desc" font-family="Inter, Helvetica, Arial, sans-serif">\n'
        f'<title id="{cid}-title">{title}</title>\n'
        f'<desc id="{cid}-desc">{_e(chart.description)}</desc>\n'
        '<g class="chart-grid" fill="none" stroke="#c8cdd5" stroke-width="0.6">\n'
    ]
    parts.append(_grid(chart.rings, chart.axes))
    for series in chart.series:
        style = series.style
        parts.append(f'<g class="chart-series chart-series-{_e(series.key)}">\n')
        if series.path:
            parts.append(
                f'<path d="{_e(series.path)}" fill="{_e(style.fill)}"'
                f' fill-opacity="{_e(style.fill_opacity)}" stroke="{_e(style.stroke)}"'
                f' stroke-width="{_e(style.stroke_width)}"{_dash(style)}'
                ' stroke-linejoin="round" stroke-linecap="round"/>\n'
            )
        for m in series.markers:
            parts.append(_marker(m, style) + "\n")
        parts.append("</g>\n")
    parts.append(_labels(chart.rings, chart.axes))
    parts.append(_legend(chart.legend))
    parts.append("\n</svg>")
    return Markup("".join(parts))  # noqa: S704 (every value above went through escape)


# The rings, axes and their labels depend on the chart's shape only (the rubric's
# behaviors and levels, see ``app.charts.radar._frame``): written once per shape.


@lru_cache(maxsize=256)
def _grid(rings: tuple[RadarRing, ...], axes: tuple[RadarAxis, ...]) -> str:
    """The rings and the axis lines, closing the grid's ``<g>``."""
    parts = []
    last = len(rings) - 1
    for i, ring in enumerate(rings):
        outer = ' stroke="#9aa3af" stroke-width="0.9"' if i == last else ""
        parts.append(f'<polygon points="{_e(ring.points)}"{outer}/>\n')
    for axis in axes:
        parts.append(f'<line x1="0" y1="0" x2="{_e(axis.end.x)}" y2="{_e(axis.end.y)}"/>\n')
    parts.append("</g>\n")
    return "".join(parts)


@lru_cache(maxsize=256)
def _labels(rings: tuple[RadarRing, ...], axes: tuple[RadarAxis, ...]) -> str:
    """The level names on the rings and the axis (behavior) names, each in its ``<g>``."""
    parts = ['<g class="chart-ring-labels">\n']
    for ring in rings:
        b = ring.backdrop
        parts.append(
            f'<rect x="{_e(b.x)}" y="{_e(b.y)}" width="{_e(b.width)}" height="{_e(b.height)}"'
            ' rx="1" fill="#ffffff" fill-opacity="0.8"/>\n'
        )
        parts.append(_text(ring.label, fill="#5b6472") + "\n")
    parts.append('</g>\n<g class="chart-axis-labels">\n')
    for axis in axes:
        parts.append(_text(axis.label, fill="#1f2933", weight="600") + "\n")
    parts.append("</g>\n")
    return "".join(parts)
