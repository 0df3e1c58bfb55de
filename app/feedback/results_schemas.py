"""The JSON shape of the shown feedback results (``GET .../feedback/results``).

Built only from :class:`~app.feedback.results.FeedbackResults`, which holds
shown aggregates and nothing else: this shape has no field a rater's answer
or identity could travel in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.api_schemas import RowOut, from_row
from app.feedback.aggregation import BehaviorFeedback, CommentGroup, Figure
from app.feedback.results import FeedbackResults


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class LevelOut(_Out):
    order: int
    name: str


class FigureOut(_Out, RowOut[Figure]):
    key: str = Field(
        description='A group key, "others" (small groups pooled) or "all" (shown raters)'
    )
    label: str
    n: int = Field(description="Raters who rated the behavior")
    not_observed: int
    median: float = Field(description="Median level order (a half between two levels)")
    distribution: list[int] = Field(description="Raters per level, in the order of `levels`")
    groups: list[str]
    exempt: bool = Field(description="The manager, shown below the threshold by setting")


class CommentsOut(_Out, RowOut[CommentGroup]):
    key: str
    label: str
    comments: list[str] = Field(
        description="Verbatim, unattributed, in an order that tells nothing"
    )


class BehaviorFeedbackOut(_Out):
    id: str
    name: str
    levels: list[LevelOut]
    figures: list[FigureOut]
    self_level: int | None
    coach_level: int | None
    others_median: float | None
    blind_spot: bool
    hidden_strength: bool
    comments: list[CommentsOut]

    @classmethod
    def of(cls, behavior: BehaviorFeedback) -> BehaviorFeedbackOut:
        return from_row(
            cls,
            behavior,
            levels=[LevelOut(order=level.order, name=level.name) for level in behavior.levels],
            figures=[FigureOut.of(figure) for figure in behavior.figures],
            comments=[CommentsOut.of(group) for group in behavior.comments],
        )


class GroupCountOut(_Out):
    key: str
    label: str
    answered: int
    exempt: bool


class FeedbackResultsOut(_Out):
    assessment_id: int
    rubric_id: str
    rubric_version: str
    min_raters: int
    answered: int = Field(description="Raters who submitted, all groups together")
    groups: list[GroupCountOut] = Field(description="Raters per group, only for groups shown")
    behaviors: list[BehaviorFeedbackOut]
    keep_doing: list[CommentsOut]
    start_doing: list[CommentsOut]

    @classmethod
    def of(cls, results: FeedbackResults) -> FeedbackResultsOut:
        aggregate = results.aggregate
        return from_row(
            cls,
            results,
            min_raters=aggregate.min_raters,
            answered=aggregate.answered,
            groups=[
                GroupCountOut(key=g.key, label=g.label, answered=g.answered, exempt=g.exempt)
                for g in aggregate.groups
            ],
            behaviors=[BehaviorFeedbackOut.of(b) for b in aggregate.behaviors],
            keep_doing=[CommentsOut.of(group) for group in aggregate.keep_doing],
            start_doing=[CommentsOut.of(group) for group in aggregate.start_doing],
        )
