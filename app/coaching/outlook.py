"""What the results page says per behavior once a review exists: a pure builder.

The PDF report and the web results page must tell one story: after a
finalized review, "where you are" is the coach's rating, the next steps lead
to the agreed target, and the charts overlay self, coach and target. Both take
their rules from :mod:`app.coaching.calibration` (:func:`reference_level`,
:func:`next_steps`, :func:`agreed_competency_level`, :func:`due_first`), the
same functions :mod:`app.reports.builder` calls, so they cannot drift apart.
Without a review the same builder gives the self-assessed view (reference =
self level, next step = the next defined level), which is what the page
always showed.

It also explains the score in one line and lists each behavior's level
ladder (:class:`Rung`), for the "level ladder" disclosure of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel.numbers import format_percent

from app.assessments.result_page_models import MIN_RADAR_AXES, ResultsView, level_names
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.coaching.calibration import (
    Flag,
    PathStep,
    agreed_competency_level,
    calibration_flag,
    due_first,
    level_label,
    next_steps,
    reference_level,
)
from app.coaching.models import ActionStatus
from app.coaching.state import PlanEntry, SharedReview
from app.core import i18n
from app.core.i18n import N_
from app.rubrics.schemas import Behavior, Competency, Rubric
from app.scoring import BehaviorResult, CompetencyResult

#: Statuses after which an action can no longer be late.
CLOSED_STATUSES = frozenset({ActionStatus.done.value, ActionStatus.dropped.value})


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of a behavior's ladder, with who placed the participant there."""

    order: int
    name: str
    descriptor: str
    #: "You", "Coach", "Target" marks at this level, in that order.
    marks: tuple[str, ...] = ()


def ladder(
    rubric: Rubric,
    behavior: Behavior,
    *,
    self_level: int | None = None,
    coach_level: int | None = None,
    target_level: int | None = None,
) -> list[Rung]:
    """Every level ``behavior`` defines, lowest first, marked where self, coach and target sit."""
    marks = ((N_("You"), self_level), (N_("Coach"), coach_level), (N_("Target"), target_level))
    return [
        Rung(
            order=level.order,
            name=level.name,
            descriptor=behavior.levels[level.id].descriptor,
            marks=tuple(label for label, order in marks if order == level.order),
        )
        for level in rubric.behavior_levels(behavior)
    ]


def score_line(rubric: Rubric, result: BehaviorResult, locale: str = i18n.SOURCE_LOCALE) -> str:
    """The score in words, in ``locale``: which level is reached and how far the next one has come.

    ``level <= score < order(next)`` (docs/scoring.md), so the fraction past
    the level is the share of the way to the next level. The level names are
    the rubric's own.
    """

    def _(message: str) -> str:
        return i18n.gettext(locale, message)

    score = i18n.format_fixed_in(locale, result.score, 2)
    reached = (
        _("%(level)s (level %(order)d) is reached")
        % {"level": result.level_name, "order": result.level}
        if result.level
        else _("no level is reached yet")
    )
    if result.next is None:
        return _("Score %(score)s: %(reached)s, the highest this behavior describes.") % {
            "score": score,
            "reached": reached,
        }
    upper = rubric.levels_by_id[result.next.level]
    share = round(100 * (result.score - result.level) / (upper.order - result.level))
    return _(
        "Score %(score)s: %(reached)s, and you are %(share)s of the way to %(next)s. "
        "A level counts as reached when its statements average %(threshold)s or more."
    ) % {
        "score": score,
        "reached": reached,
        "share": format_percent(share / 100, locale=i18n.babel_locale(locale)),
        "next": upper.name,
        "threshold": i18n.format_number_in(locale, rubric.scoring.threshold, 2),
    }


@dataclass(frozen=True)
class BehaviorOutlook:
    behavior: Behavior
    result: BehaviorResult
    coach_level: int | None
    target_level: int | None
    #: Where the participant is now: the coach's rating, else the self-assessed level.
    reference: int
    reference_name: str
    #: Whose level ``reference`` is.
    source: Literal["coach", "self"]
    current_descriptor: str | None
    steps: list[PathStep]
    flag: Flag | None
    rationale: str
    evidence: str
    rungs: list[Rung]
    rubric: Rubric

    def label(self, order: int | None) -> str:
        return level_label(self.rubric, order)

    def score_line(self, locale: str) -> str:
        """The score in words in the page's locale (``bo.score_line(current_locale())``)."""
        return score_line(self.rubric, self.result, locale)

    @property
    def gap(self) -> int:
        """Levels from where the participant is to the target (0 without one)."""
        if self.target_level is None:
            return 0
        return max(self.target_level - self.reference, 0)


@dataclass(frozen=True)
class CompetencyOutlook:
    competency: Competency
    result: CompetencyResult
    #: The agreed level of the whole competency (all behaviors rated), else None.
    coach_level: int | None
    coach_name: str | None
    chart: RadarChart
    behaviors: list[BehaviorOutlook]

    @property
    def draw_radar(self) -> bool:
        return len(self.behaviors) >= MIN_RADAR_AXES


@dataclass(frozen=True, kw_only=True)
class DatedPlan:
    """A page's plan, in the PDF's order, and the day "overdue" is measured against (UTC)."""

    plan: list[PlanEntry]
    today: date

    def overdue(self, entry: PlanEntry) -> bool:
        return is_overdue(entry, self.today)


@dataclass(frozen=True, kw_only=True)
class ResultsOutlook(DatedPlan):
    reviewed: bool
    competencies: list[CompetencyOutlook]

    @property
    def blind_spots(self) -> int:
        return sum(1 for c in self.competencies for b in c.behaviors if b.flag is Flag.blind_spot)


def is_overdue(entry: PlanEntry, today: date) -> bool:
    """Due before ``today`` and neither done nor dropped."""
    due = entry.action.due_date
    return due is not None and due < today and entry.action.status not in CLOSED_STATUSES


def ordered_plan(entries: list[PlanEntry]) -> list[PlanEntry]:
    """Plan entries in the PDF's order: earliest due first, no due date last, then as agreed."""
    return sorted(entries, key=lambda e: due_first(e.action.due_date))


def _behavior(
    rubric: Rubric, behavior: Behavior, result: BehaviorResult, review: SharedReview | None
) -> BehaviorOutlook:
    rating = review.ratings.get(behavior.id) if review else None
    coach = rating.coach_level if rating else None
    target = rating.target_level if rating else None
    reference = reference_level(result.level, coach)
    current, steps = next_steps(rubric, behavior, reference=reference, target=target)
    return BehaviorOutlook(
        behavior=behavior,
        result=result,
        coach_level=coach,
        target_level=target,
        reference=reference,
        reference_name=level_label(rubric, reference),
        source="coach" if coach is not None else "self",
        current_descriptor=current,
        steps=steps,
        flag=calibration_flag(result.level, coach),
        rationale=rating.rationale if rating else "",
        evidence=rating.evidence if rating else "",
        rungs=ladder(
            rubric, behavior, self_level=result.level, coach_level=coach, target_level=target
        ),
        rubric=rubric,
    )


#: The radar's title once a coach rated or set targets.
TITLE = N_("%(competency)s: self score, coach and target levels")


def build_outlook(
    view: ResultsView,
    review: SharedReview | None,
    *,
    today: date,
    locale: str = i18n.SOURCE_LOCALE,
) -> ResultsOutlook:
    """The results page's competencies and behaviors, after ``review`` when there is one.

    The radar is the PDF's (:func:`app.reports.document.competency_radar`):
    the self score, plus the coach's and the target levels once given.
    """
    rubric = view.rubric
    names = level_names(rubric, locale)
    competencies: list[CompetencyOutlook] = []
    for block in view.competencies:
        spec = next(c for c in rubric.competencies if c.id == block.result.id)
        behaviors = [
            _behavior(rubric, b, view.result.behavior(b.id), review) for b in spec.behaviors
        ]
        series = [
            RadarSeriesInput(
                "self", i18n.gettext(locale, "Self-assessment"), [b.result.score for b in behaviors]
            )
        ]
        coach = [b.coach_level for b in behaviors]
        target = [b.target_level for b in behaviors]
        if any(level is not None for level in coach):
            series.append(RadarSeriesInput("coach", i18n.gettext(locale, "Coach"), list(coach)))
        if any(level is not None for level in target):
            series.append(RadarSeriesInput("target", i18n.gettext(locale, "Target"), list(target)))
        chart = (
            block.chart
            if len(series) == 1
            else radar_chart(
                title=i18n.gettext(
                    locale, N_("%(competency)s: self score, coach and target levels")
                )
                % {"competency": spec.name},
                axes=[b.behavior.name for b in behaviors],
                level_names=names,
                series=series,
                id=f"radar-{spec.id}",
                locale=locale,
            )
        )
        agreed = agreed_competency_level(rubric, coach)
        competencies.append(
            CompetencyOutlook(
                competency=spec,
                result=block.result,
                coach_level=agreed,
                coach_name=None if agreed is None else level_label(rubric, agreed),
                chart=chart,
                behaviors=behaviors,
            )
        )
    return ResultsOutlook(
        reviewed=review is not None,
        competencies=competencies,
        plan=ordered_plan(review.plan) if review else [],
        today=today,
    )
