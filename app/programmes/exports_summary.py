"""The cohort PDF summary of one cycle: a radar per competency, strongest/weakest, change.

In the style of the personal report: the report stylesheet
(``app/static/reports/report.css``), the shared radar chart
(:mod:`app.charts.radar`, group means of the self and coach levels per
behavior) and the report render pool (:func:`app.reports.pool.render_pdf_async`,
its time limit and its restricted fetcher). The figures are those of the
insights service for the same viewer, so a lead's summary carries only the
aggregates a lead may see (docs/insights.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import User
from app.audit.actions import Action, Target
from app.audit.service import record_event
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.core import i18n
from app.core.config import get_settings
from app.core.exceptions import Forbidden
from app.core.i18n import N_
from app.core.templating import get_environment
from app.programmes import insights_service as service
from app.programmes.insights import BehaviorDistribution, Change, Distributions, Source

TEMPLATE = "programmes/summary.html"


@dataclass(frozen=True, slots=True)
class CompetencySummary:
    name: str
    chart: RadarChart | None
    rows: tuple[tuple[BehaviorDistribution, BehaviorDistribution | None], ...]


def summary_html(*, session: Session, user: User, cycle_id: int) -> str:
    """The summary document (HTML for WeasyPrint); every figure through the service."""
    scope, selves = service.get_distributions(
        session=session, user=user, cycle_id=cycle_id, source=Source.self
    )
    try:
        coaches: Distributions | None
        _, coaches = service.get_distributions(
            session=session, user=user, cycle_id=cycle_id, source=Source.coach
        )
    except Forbidden:  # a lead, and too few coach levels: the summary shows the self levels
        coaches = None
    _, previous, change = service.get_change(
        session=session, user=user, cycle_id=cycle_id, source=Source.self
    )
    # Aggregates only (no one's own figures), so the event names the cycle, not a person.
    record_event(
        session=session,
        actor_id=user.id,
        action=Action.cycle_summary_exported,
        subject_user_id=None,
        target_type=Target.cycle,
        target_id=cycle_id,
    )
    locale = _locale_of(user)
    level_names = [scope.level_name(order, locale) for order in scope.levels]
    competencies = _competencies(selves, coaches, level_names, locale)
    return (
        get_environment()
        .get_template(TEMPLATE)
        .render(
            scope=scope,
            selves=selves,
            coaches=coaches,
            change=change,
            previous=previous,
            competencies=competencies,
            level_names=level_names,
            locale=locale,
        )
    )


def _locale_of(user: User) -> str:
    """The PDF is in its reader's saved language (it has no request): else the default."""
    return i18n.negotiate_locale(
        preference=user.locale,
        cookie=None,
        accept_language=None,
        available=i18n.available_locales(),
        default=get_settings().default_locale,
    )


def _competencies(
    selves: Distributions, coaches: Distributions | None, level_names: list[str], locale: str
) -> list[CompetencySummary]:
    by_competency: dict[str, list[tuple[BehaviorDistribution, BehaviorDistribution | None]]] = {}
    names: dict[str, str] = {}
    coach_rows = coaches.behaviors if coaches else (None,) * len(selves.behaviors)
    for own, coach in zip(selves.behaviors, coach_rows, strict=True):
        key = own.behavior.competency_id
        names[key] = own.behavior.competency_name
        by_competency.setdefault(key, []).append((own, coach))
    summaries = []
    for key, rows in by_competency.items():
        chart = None
        if len(rows) >= 3:  # a radar needs three axes to be a shape
            chart = radar_chart(
                title=i18n.gettext(locale, N_("%(competency)s: mean level per behavior"))
                % {"competency": names[key]},
                axes=[own.behavior.name for own, _ in rows],
                level_names=level_names,
                series=[
                    RadarSeriesInput(
                        "self",
                        i18n.gettext(locale, N_("Self (mean)")),
                        [own.mean for own, _ in rows],
                    ),
                    *(
                        [
                            RadarSeriesInput(
                                "coach",
                                i18n.gettext(locale, N_("Coach (mean)")),
                                [c.mean if c else None for _, c in rows],
                            )
                        ]
                        if coaches
                        else []
                    ),
                ],
                id=f"radar-{key}",
                locale=locale,
            )
        summaries.append(CompetencySummary(names[key], chart, tuple(rows)))
    return summaries


__all__ = ["Change", "CompetencySummary", "summary_html"]
