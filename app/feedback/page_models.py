"""The feedback section of the results and review pages (and the PDF), as plain view data.

Built only from :class:`~app.feedback.results.FeedbackResults` (shown
aggregates), so a template cannot print more than the rules allow. Each
behavior gets its dot chart (:mod:`app.charts.dots`: self, coach and every
shown group on one level axis) and the same numbers as table rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.charts.dots import DotChart, DotRowInput, dot_chart, level_text
from app.charts.parts import chart_id
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


def build_feedback_view(results: FeedbackResults) -> FeedbackView:
    aggregate = results.aggregate
    return FeedbackView(
        min_raters=aggregate.min_raters,
        answered=aggregate.answered,
        groups=aggregate.groups,
        behaviors=tuple(_behavior(b) for b in aggregate.behaviors),
        keep_doing=aggregate.keep_doing,
        start_doing=aggregate.start_doing,
    )


def _behavior(behavior: BehaviorFeedback) -> BehaviorView:
    names = [level.name for level in behavior.levels]
    rows = tuple(
        FigureRow(
            label=figure.label,
            n=figure.n,
            not_observed=figure.not_observed,
            median=level_text(figure.median, names),
            distribution=tuple(zip(names, figure.distribution, strict=True)),
            exempt=figure.exempt,
        )
        for figure in behavior.figures
    )
    chart = None
    if behavior.figures:
        inputs = [DotRowInput("Self", "self", level=behavior.self_level)]
        if behavior.coach_level is not None:
            inputs.append(DotRowInput("Coach", "coach", level=behavior.coach_level))
        inputs += [
            DotRowInput(
                f"{figure.label} ({figure.n})",
                "raters",
                counts=figure.distribution,
                median=figure.median,
            )
            for figure in behavior.figures
        ]
        chart = dot_chart(
            title=f"{behavior.name}: self, coach and raters",
            level_names=names,
            rows=inputs,
            id=chart_id(f"feedback-{behavior.id}"),
        )
    return BehaviorView(
        id=behavior.id,
        name=behavior.name,
        self_text="—" if behavior.self_level is None else level_text(behavior.self_level, names),
        coach_text=None
        if behavior.coach_level is None
        else level_text(behavior.coach_level, names),
        others_text=None
        if behavior.others_median is None
        else level_text(behavior.others_median, names),
        blind_spot=behavior.blind_spot,
        hidden_strength=behavior.hidden_strength,
        chart=chart,
        rows=rows,
        comments=behavior.comments,
    )
