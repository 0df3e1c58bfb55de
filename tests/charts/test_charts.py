"""Chart geometry (pure) and the SVG macros that draw it."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from app.charts.line import LineSeriesInput, line_chart
from app.charts.radar import (
    LINE_STYLES,
    RADAR_STYLES,
    RadarChart,
    RadarSeriesInput,
    radar_chart,
    wrap_label,
)
from app.core.templating import get_environment

LEVELS = ["Not yet", "Beginner", "Intermediate", "Advanced", "Guide", "Catalyst"]
AXES = ["Vision & Strategy", "Outcome Orientation", "Market Awareness", "Value Management", "Risk"]


def _radar(values: list[float | None], axes: list[str] = AXES, **kw: object) -> RadarChart:
    return radar_chart(
        title="Product Management",
        axes=axes,
        level_names=LEVELS,
        series=[RadarSeriesInput("self", "Self-assessment", values)],
        **kw,  # type: ignore[arg-type]
    )


def _vertices(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_one_axis_per_behavior_and_one_ring_per_level() -> None:
    chart = _radar([1, 2, 3, 4, 5])
    assert len(chart.axes) == len(AXES)
    assert [ring.order for ring in chart.rings] == [1, 2, 3, 4, 5]
    assert [ring.name for ring in chart.rings] == LEVELS[1:]


def test_the_top_level_lies_on_the_outer_ring_and_zero_at_the_centre() -> None:
    chart = _radar([5, 5, 0, 0, 2.5])
    vertices = _vertices(chart.series[0].path)
    distances = [math.hypot(x, y) for x, y in vertices]
    assert distances[0] == pytest.approx(chart.radius, abs=0.01)
    assert distances[1] == pytest.approx(chart.radius, abs=0.01)
    assert distances[2] == pytest.approx(0, abs=0.01)
    assert distances[3] == pytest.approx(0, abs=0.01)
    assert distances[4] == pytest.approx(chart.radius / 2, abs=0.01)
    # The outer ring polygon passes through the axis ends.
    outer = [tuple(map(float, p.split(","))) for p in chart.rings[-1].points.split()]
    assert outer == [(a.end.x, a.end.y) for a in chart.axes]


def test_the_first_axis_points_up_and_the_others_follow_clockwise() -> None:
    chart = _radar([1, 1, 1, 1, 1])
    first, second = chart.axes[0].end, chart.axes[1].end
    assert (first.x, first.y) == (0, -chart.radius)
    assert second.x > 0  # clockwise on screen: y grows downwards


def test_values_outside_the_scale_are_clamped() -> None:
    chart = _radar([9, -3, 1, 1, 1])
    distances = [math.hypot(x, y) for x, y in _vertices(chart.series[0].path)]
    assert distances[0] == pytest.approx(chart.radius, abs=0.01)
    assert distances[1] == pytest.approx(0, abs=0.01)


def test_a_missing_value_breaks_the_polygon_instead_of_dropping_to_the_centre() -> None:
    chart = _radar([1, None, 3, 4, 5])
    path = chart.series[0].path
    assert "Z" not in path
    # One open run 3 -> 4 -> 5 -> 1 (wrapping round the start), four markers.
    assert path.count("M") == 1
    assert len(_vertices(path)) == 4
    assert len(chart.series[0].markers) == 4
    full = _radar([1, 2, 3, 4, 5])
    assert full.series[0].path.endswith("Z")


def test_series_differ_in_colour_dash_and_marker() -> None:
    styles = list(RADAR_STYLES.values())
    for attribute in ("stroke", "dasharray", "marker"):
        assert len({getattr(style, attribute) for style in styles}) == len(styles)
    first_four = LINE_STYLES[:4]
    for attribute in ("stroke", "dasharray", "marker"):
        assert len({getattr(style, attribute) for style in first_four}) == 4


def test_long_names_are_wrapped_and_cut() -> None:
    assert wrap_label("Risk & Opportunity Management") == ("Risk &", "Opportunity", "Management")
    lines = wrap_label("An extraordinarily long behavior name that goes on and on and on")
    assert len(lines) == 3 and lines[-1].endswith("…")


def test_the_view_box_holds_every_label_and_charts_share_a_scale() -> None:
    long_names = radar_chart(
        title="x",
        axes=["Cross-Functional Relationships", "Active Stakeholder Engagement", "Trade-Off"],
        level_names=LEVELS,
        series=[RadarSeriesInput("self", "Self", [1, 2, 3])],
    )
    short_names = radar_chart(
        title="y",
        axes=["A", "B", "C"],
        level_names=LEVELS,
        series=[RadarSeriesInput("self", "Self", [1, 2, 3])],
    )
    box = long_names.view_box
    for axis in long_names.axes:
        assert box.x <= axis.label.x <= box.x + box.width
        assert box.y <= axis.label.y <= box.y + box.height
    assert (short_names.view_box.width, short_names.view_box.height) == (box.width, box.height)


def test_a_series_must_have_one_value_per_axis() -> None:
    with pytest.raises(ValueError, match="values for 5 axes"):
        _radar([1, 2])


def _render(source: str, **context: object) -> str:
    return get_environment().from_string(source).render(**context)


def test_the_radar_svg_is_accessible_and_escapes_names() -> None:
    chart = radar_chart(
        title="Alignment <b>",
        axes=["<script>alert(1)</script>", "Plain", "Third"],
        level_names=LEVELS,
        series=[
            RadarSeriesInput("self", "Self", [1.5, 2, 3]),
            RadarSeriesInput("coach", "Coach", [1, None, 2]),
            RadarSeriesInput("target", "Target", [3, 3, 4]),
        ],
    )
    svg = _render('{% import "charts/radar.svg.j2" as radar %}{{ radar.svg(chart) }}', chart=chart)
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert 'role="img"' in svg and 'aria-label="Alignment &lt;b&gt;"' in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "style=" not in svg
    assert 'stroke-dasharray="5 3"' in svg and 'stroke-dasharray="1.5 2.5"' in svg
    table = _render(
        '{% import "charts/radar.svg.j2" as radar %}{{ radar.table(chart) }}', chart=chart
    )
    assert "&lt;script&gt;" in table and "<script" not in table
    assert "1.50 (Beginner)" in table and "Advanced (3)" in table


def test_the_line_chart_places_levels_and_dates() -> None:
    dates = [date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1)]
    chart = line_chart(
        title="Growth",
        dates=dates,
        level_names=LEVELS,
        series=[LineSeriesInput("A", [1, 2, 5]), LineSeriesInput("B", [0, None, 3])],
    )
    ticks = {tick.label.lines[0]: tick.at for tick in chart.y_ticks}
    assert ticks["Catalyst"] == chart.plot_top
    assert ticks["Not yet"] == chart.plot_bottom
    xs = [tick.at for tick in chart.x_ticks]
    assert chart.plot_left < xs[0] < xs[1] < xs[2] < chart.plot_right
    # Proportional to time: September is about half way between the two Marches.
    assert (xs[1] - xs[0]) / (xs[2] - xs[0]) == pytest.approx(184 / 365, abs=0.01)
    a, b = chart.series
    assert _vertices(a.path)[-1] == (xs[2], chart.plot_top)
    assert b.path == "" and len(b.markers) == 2  # two points with a gap: no line
    assert len(chart.legend) == 2


def test_one_date_is_centred_and_one_series_has_no_legend() -> None:
    chart = line_chart(
        title="Once",
        dates=[date(2025, 1, 1)],
        level_names=LEVELS,
        series=[LineSeriesInput("A", [2])],
    )
    assert chart.x_ticks[0].at == pytest.approx((chart.plot_left + chart.plot_right) / 2, abs=0.01)
    assert chart.legend == ()


def test_the_line_svg_is_accessible_and_escapes_labels() -> None:
    chart = line_chart(
        title="<script>t</script>",
        dates=[date(2024, 1, 1), date(2025, 1, 1)],
        level_names=LEVELS,
        series=[LineSeriesInput("<img src=x>", [1, 2]), LineSeriesInput("B", [2, 3])],
    )
    svg = _render('{% import "charts/line.svg.j2" as line %}{{ line.svg(chart) }}', chart=chart)
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;img src=x&gt;" in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "style=" not in svg
    assert "Assessment date" in svg and "1 Jan 2024" in svg


def test_radars_of_one_shape_share_their_frame_and_match_a_fresh_one() -> None:
    """The axes, rings and box depend on the names and levels only, so they are computed
    once per shape (``radar._frame``); a chart drawn from a cached frame is the chart."""
    from app.charts import radar

    def draw(values: list[float | None]) -> radar.RadarChart:
        return radar.radar_chart(
            title="Shape",
            axes=["One", "Two", "A third, longer axis name"],
            level_names=["Not yet", "Basic", "Good", "Great"],
            series=[radar.RadarSeriesInput("self", "Self", values)],
        )

    first, second = draw([1.0, 2.5, None]), draw([3.0, 0.0, 1.5])
    assert first.axes is second.axes and first.rings is second.rings
    radar._frame.cache_clear()
    assert draw([3.0, 0.0, 1.5]) == second
