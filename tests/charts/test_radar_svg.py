"""The radar's SVG written in Python prints what the Jinja macro printed, escaped the same.

``app/charts/radar_svg.py`` replaced the body of the ``svg`` macro of
``templates/charts/radar.svg.j2``; that body is kept here, rendered through the
app's environment (autoescaping on) with the template's own small macros
(``radar_svg_macro.j2``), and compared byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.charts.radar_svg import radar_svg
from app.core.templating import get_environment

#: The macro as it was, with the macros it calls imported from the template.
JINJA_SVG = (Path(__file__).parent / "radar_svg_macro.j2").read_text()

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def _charts() -> list[RadarChart]:
    return [
        radar_chart(
            title=f"Delivery {HOSTILE}",
            axes=["One & two", HOSTILE, "A very long behavior name that wraps over lines", "x'y"],
            level_names=["Not yet", "Basic", "Pro <&> co", "Expert"],
            series=[
                RadarSeriesInput("self", f"You {HOSTILE}", [1.5, 2, None, 3]),
                RadarSeriesInput("coach", "Coach", [1, 2, 3, 0]),
                RadarSeriesInput("target", "Target", [None, None, 3, None]),
            ],
        ),
        radar_chart(
            title="Three axes",
            axes=["a", "b", "c"],
            level_names=["0", "1"],
            series=[RadarSeriesInput("self", "Self", [0, 1, 0.5])],
        ),
        radar_chart(
            title="No series", axes=["a", "b", "c"], level_names=["0", "1", "2"], series=[]
        ),
    ]


@pytest.mark.parametrize("css_class", ["chart chart-radar", 'profile "x" <y>'])
def test_python_svg_is_the_macro_byte_for_byte(css_class: str) -> None:
    macro = get_environment().from_string(JINJA_SVG).module.svg  # type: ignore[attr-defined]
    for chart in _charts():
        assert str(radar_svg(chart, css_class)) == str(macro(chart, css_class))


def test_the_template_prints_the_python_svg() -> None:
    template = get_environment().from_string(
        '{% import "charts/radar.svg.j2" as radar %}{{ radar.svg(chart) }}'
    )
    chart = _charts()[0]
    assert template.render(chart=chart) == str(chart.svg())


def test_user_text_is_escaped() -> None:
    svg = str(radar_svg(_charts()[0]))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in svg
    assert "Pro &lt;&amp;&gt; co" in svg
