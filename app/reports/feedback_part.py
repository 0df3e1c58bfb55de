"""The report's feedback part, from the shown feedback results (app.feedback.results).

The feedback domain hands over only shown aggregates; this turns them into
the report's plain dataclasses (:class:`~app.reports.model.ReportFeedback`),
which are part of the PDF cache key, so a new rater's answers change the
PDF. Comments are shortened like other long texts (:mod:`app.reports.limits`):
at most :data:`MAX_FEEDBACK_COMMENTS` per group and behavior, each at most
:data:`MAX_FEEDBACK_COMMENT` characters; the print says how many it left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.charts.dots import level_text
from app.feedback.aggregation import CommentGroup
from app.feedback.results import FeedbackResults
from app.reports.limits import clip
from app.reports.model import (
    FeedbackBehaviorPart,
    FeedbackComments,
    FeedbackFigureLine,
    ReportFeedback,
)

MAX_FEEDBACK_COMMENTS = 20
MAX_FEEDBACK_COMMENT = 600


def report_feedback(results: FeedbackResults | None) -> ReportFeedback | None:
    """The printed feedback; ``None`` when no rater has answered (no section at all)."""
    if results is None or results.aggregate.answered == 0:
        return None
    aggregate = results.aggregate
    names: tuple[str, ...] = ()
    behaviors = []
    for behavior in aggregate.behaviors:
        names = tuple(level.name for level in behavior.levels)
        behaviors.append(
            FeedbackBehaviorPart(
                id=behavior.id,
                name=behavior.name,
                self_level=behavior.self_level,
                coach_level=behavior.coach_level,
                others_median_text=None
                if behavior.others_median is None
                else level_text(behavior.others_median, names),
                blind_spot=behavior.blind_spot,
                hidden_strength=behavior.hidden_strength,
                figures=tuple(
                    FeedbackFigureLine(
                        label=figure.label,
                        n=figure.n,
                        not_observed=figure.not_observed,
                        median=figure.median,
                        median_text=level_text(figure.median, names),
                        distribution=figure.distribution,
                        exempt=figure.exempt,
                    )
                    for figure in behavior.figures
                ),
                comments=_comments(behavior.comments),
            )
        )
    return ReportFeedback(
        min_raters=aggregate.min_raters,
        answered=aggregate.answered,
        level_names=names,
        groups=tuple((group.label, group.answered) for group in aggregate.groups),
        behaviors=tuple(behaviors),
        keep_doing=_comments(aggregate.keep_doing),
        start_doing=_comments(aggregate.start_doing),
    )


def _comments(groups: Sequence[CommentGroup]) -> tuple[FeedbackComments, ...]:
    return tuple(
        FeedbackComments(
            label=group.label,
            comments=tuple(
                clip(text, MAX_FEEDBACK_COMMENT) for text in group.comments[:MAX_FEEDBACK_COMMENTS]
            ),
            omitted=max(0, len(group.comments) - MAX_FEEDBACK_COMMENTS),
        )
        for group in groups
    )
