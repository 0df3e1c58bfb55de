"""The report as HTML: the Jinja2 template, its charts and its print options.

The same HTML is what the PDF is rendered from and what the HTML preview
shows; only ``asset_base`` differs (a ``file:`` URL of the assets directory
for WeasyPrint, ``/static/`` for a browser). Templates live in
``templates/reports/`` and use the one autoescaping environment from
:mod:`app.core.templating`.

The document is written in ``ReportData.locale``: its fixed texts through
gettext, dates and numbers through Babel, and ``<html lang>`` from it, which
makes WeasyPrint hyphenate in that language (pyphen's dictionaries) and
write the PDF's ``/Lang``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.charts.dots import DotChart
from app.charts.line import LineChart, LineSeriesInput, line_chart
from app.charts.radar import RadarChart, RadarSeriesInput, chart_id, radar_chart
from app.core.i18n import gettext, rendering_in
from app.core.templating import get_environment
from app.feedback.page_models import feedback_chart
from app.reports.model import LevelRef, ReportCompetency, ReportData

#: Bump whenever the templates, the print stylesheet or the chart geometry change
#: what a PDF looks like: it is part of the PDF cache key.
TEMPLATE_VERSION = "reports-6"
TEMPLATE = "reports/report.html"

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True, slots=True)
class ReportCharts:
    """Charts derived from the report data (so they need no place in the cache key)."""

    radars: dict[str, RadarChart]
    growth: tuple[LineChart, ...]
    #: The feedback dot chart per behavior id (behaviors with shown figures only).
    feedback: dict[str, DotChart]


def competency_radar(
    competency: ReportCompetency, level_names: tuple[str, ...], locale: str = "en"
) -> RadarChart:
    """Self score, and coach and target levels when present, one axis per behavior."""
    behaviors = competency.behaviors
    series = [
        RadarSeriesInput(
            "self", gettext(locale, "Self-assessment"), [b.self_score for b in behaviors]
        )
    ]
    reviewed: tuple[tuple[Literal["coach", "target"], str, list[LevelRef | None]], ...] = (
        ("coach", gettext(locale, "Coach"), [b.coach_level for b in behaviors]),
        ("target", gettext(locale, "Target"), [b.target_level for b in behaviors]),
    )
    for key, label, levels in reviewed:
        if any(levels):
            series.append(RadarSeriesInput(key, label, [lv.order if lv else None for lv in levels]))
    return radar_chart(
        title=gettext(locale, "%(competency)s: levels per behavior")
        % {"competency": competency.name},
        axes=[b.name for b in behaviors],
        level_names=level_names,
        series=series,
        id=chart_id(f"radar-{competency.id}"),
        locale=locale,
    )


def report_charts(data: ReportData) -> ReportCharts:
    growth = tuple(
        line_chart(
            title=gettext(data.locale, "%(competency)s: level over time")
            % {"competency": series.competency_name},
            dates=[p.assessed_on for p in series.points],
            level_names=data.level_names,
            series=[
                LineSeriesInput(series.competency_name, [p.level.order for p in series.points])
            ],
            id=chart_id(f"growth-{series.competency_id}"),
            width=210,
            height=105,
            x_axis_label=gettext(data.locale, "Assessment date"),
            y_axis_label=gettext(data.locale, "Level"),
            locale=data.locale,
        )
        for series in data.growth
    )
    return ReportCharts(
        radars={
            c.id: competency_radar(c, data.level_names, data.locale) for c in data.competencies
        },
        growth=growth,
        feedback=feedback_charts(data),
    )


def feedback_charts(data: ReportData) -> dict[str, DotChart]:
    """Self, coach and each shown group of raters on one level axis, per behavior."""
    feedback = data.feedback
    if feedback is None:
        return {}
    return {
        behavior.id: feedback_chart(
            behavior_id=behavior.id,
            name=behavior.name,
            self_level=behavior.self_level,
            coach_level=behavior.coach_level,
            figures=[(f.label, f.n, f.distribution, f.median) for f in behavior.figures],
            level_names=feedback.level_names,
        )
        for behavior in feedback.behaviors
        if behavior.figures
    }


@dataclass(frozen=True, slots=True)
class GrowthTable:
    """The growth charts' numbers: one row per competency, one column per assessment date."""

    dates: tuple[date, ...]
    rows: tuple[tuple[str, tuple[LevelRef | None, ...]], ...]


def growth_table(data: ReportData) -> GrowthTable:
    dates = tuple(sorted({p.assessed_on for s in data.growth for p in s.points}))
    rows = []
    for series in data.growth:
        by_date = {p.assessed_on: p.level for p in series.points}
        rows.append((series.competency_name, tuple(by_date.get(d) for d in dates)))
    return GrowthTable(dates, tuple(rows))


def render_report_html(data: ReportData, *, paper: Paper = "a4", asset_base: str) -> str:
    """The report document; ``asset_base`` ends with "/" and prefixes the stylesheet URL."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}")
    # The locale of every _() and date filter, the macros imported without context included.
    with rendering_in(data.locale):
        return _document(data, paper=paper, asset_base=asset_base)


def _document(data: ReportData, *, paper: Paper, asset_base: str) -> str:
    template = get_environment().get_template(TEMPLATE)
    return template.render(
        report=data,
        charts=report_charts(data),
        growth_table=growth_table(data),
        paper=paper,
        asset_base=asset_base,
        template_version=TEMPLATE_VERSION,
    )
