"""The feedback section of the results and review pages (and the PDF), as plain view data.

Built only from :class:`~app.feedback.results.FeedbackResults` (shown
aggregates), so a template cannot print more than the rules allow. Each
behavior gets its dot chart (:mod:`app.charts.dots`: self, coach and every
shown group on one level axis) and the same numbers as table rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.charts.dots import DotChart, DotRowInput, dot_chart, level_text
from app.charts.parts import chart_id
from app.core import i18n
from app.core.i18n import N_
from app.feedback.aggregation import BehaviorFeedback, CommentGroup, GroupCount
from app.feedback.results import FeedbackResults


@dataclass(frozen=True, slots=True)
class FigureRow:
    label: str
    n: int
    not_observed: int
    median: str
    #: (level name, count) per level, lowest first.
    distribution: tuple[tuple[str, int], ...]
    exempt: bool


@dataclass(frozen=True, slots=True)
class BehaviorView:
    id: str
    name: str
    self_text: str
    coach_text: str | None
    others_text: str | None
    blind_spot: bool
    hidden_strength: bool
    chart: DotChart | None
    rows: tuple[FigureRow, ...]
    comments: tuple[CommentGroup, ...]


@dataclass(frozen=True, slots=True)
class FeedbackView:
    min_raters: int
    answered: int
    groups: tuple[GroupCount, ...]
    behaviors: tuple[BehaviorView, ...]
    keep_doing: tuple[CommentGroup, ...]
    start_doing: tuple[CommentGroup, ...]

    @property
    def shown(self) -> bool:
        """Anything to show beyond "not enough raters yet"."""
        return any(b.rows for b in self.behaviors)


#: The default rater groups (``STEPWISE_FEEDBACK_GROUPS``), marked for the catalog: pages
#: translate a group's label when the catalog has it (a configured label of one's own
#: shows as written). The lower-case forms are the rater form's "one of their peers".
DEFAULT_GROUP_LABELS = (
    N_("Manager"),
    N_("Peers"),
    N_("Direct reports"),
    N_("Stakeholders"),
    N_("manager"),
    N_("peers"),
    N_("direct reports"),
    N_("stakeholders"),
)


def feedback_chart(
    *,
    behavior_id: str,
    name: str,
    self_level: int | None,
    coach_level: int | None,
    figures: Sequence[tuple[str, int, Sequence[int], float]],
    level_names: Sequence[str],
    locale: str = i18n.SOURCE_LOCALE,
) -> DotChart:
    """Self, coach and each shown figure (label, n, distribution, median) on one level axis.

    The pages and the PDF (:mod:`app.reports.document`) draw the same chart, in ``locale``.
    """

    def _(message: str) -> str:
        return i18n.gettext(locale, message)

    rows = [DotRowInput(_("Self"), "self", level=self_level)]
    if coach_level is not None:
        rows.append(DotRowInput(_("Coach"), "coach", level=coach_level))
    rows += [
        DotRowInput(f"{_(label)} ({n})", "raters", counts=counts, median=median)
        for label, n, counts, median in figures
    ]
    return dot_chart(
        title=_("%(behavior)s: self, coach and raters") % {"behavior": name},
        level_names=level_names,
        rows=rows,
        id=chart_id(f"feedback-{behavior_id}"),
        locale=locale,
    )


def build_feedback_view(results: FeedbackResults, locale: str = i18n.SOURCE_LOCALE) -> FeedbackView:
    """The page's feedback section; its charts and level texts in ``locale``."""
    aggregate = results.aggregate
    return FeedbackView(
        min_raters=aggregate.min_raters,
        answered=aggregate.answered,
        groups=aggregate.groups,
        behaviors=tuple(_behavior(b, locale) for b in aggregate.behaviors),
        keep_doing=aggregate.keep_doing,
        start_doing=aggregate.start_doing,
    )


def _behavior(behavior: BehaviorFeedback, locale: str) -> BehaviorView:
    names = [level.name for level in behavior.levels]
    rows = tuple(
        FigureRow(
            label=figure.label,
            n=figure.n,
            not_observed=figure.not_observed,
            median=level_text(figure.median, names, locale),
            distribution=tuple(zip(names, figure.distribution, strict=True)),
            exempt=figure.exempt,
        )
        for figure in behavior.figures
    )
    chart = None
    if behavior.figures:
        chart = feedback_chart(
            behavior_id=behavior.id,
            name=behavior.name,
            self_level=behavior.self_level,
            coach_level=behavior.coach_level,
            figures=[(f.label, f.n, f.distribution, f.median) for f in behavior.figures],
            level_names=names,
            locale=locale,
        )
    return BehaviorView(
        id=behavior.id,
        name=behavior.name,
        self_text="—"
        if behavior.self_level is None
        else level_text(behavior.self_level, names, locale),
        coach_text=None
        if behavior.coach_level is None
        else level_text(behavior.coach_level, names, locale),
        others_text=None
        if behavior.others_median is None
        else level_text(behavior.others_median, names, locale),
        blind_spot=behavior.blind_spot,
        hidden_strength=behavior.hidden_strength,
        chart=chart,
        rows=rows,
        comments=behavior.comments,
    )
