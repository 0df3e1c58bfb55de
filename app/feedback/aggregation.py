"""Raters' answers in, the aggregates that may be *shown* out: anonymity by construction.

Pure (no I/O, no database): :func:`aggregate_feedback` takes the raters'
responses (:class:`~app.feedback.responses.RaterResponse`), the behaviors'
scales and the rules, and returns only figures that satisfy the rules below,
so no caller (page, API, CSV, PDF) can show more than this module allows.

For every behavior, separately (a rater may answer "not observed", so the
raters behind a behavior's figures differ from one behavior to the next):

1. A group's figure is shown when at least ``min_raters`` of its raters rated
   the behavior (its ``n``).
2. The groups below that are pooled into "others"; the pool is shown when it
   reaches ``min_raters`` and left out otherwise.
3. The manager group may be shown below the threshold only when
   ``show_manager`` says so (the rater's form told them); that figure is
   ``exempt`` and takes no part in the pool or the combined figure.
4. The shown groups and "others" are disjoint, each of at least ``min_raters``.
   When there are two or more, a combined figure (``all``) over their union is
   shown too: subtracting any of them from it leaves a union of the others
   (again at least ``min_raters``). Raters left out (a pool too small) are
   never in it, so "all minus the shown groups" is empty, never one person.

So every set of raters one can obtain from shown figures by differences and
unions is empty or has at least ``min_raters`` raters (outside an exempt
manager): the property test in ``tests/feedback/test_aggregation_property.py``
checks exactly that, over the Venn cells of the shown figures.

Comments follow the same partition: a behavior's comments appear under the
figure whose group (or pool) is shown for that behavior, the overall ones
(keep doing / start doing) under a partition made the same way from the
raters who answered at all. They are never attributed and are ordered by a
hash of their text, so their order says nothing about who wrote them or when.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.i18n import N_
from app.feedback.responses import RaterResponse
from app.rubrics.level_ref import LevelRef
from app.scoring.tallies import median_of

#: The threshold may be raised, never lowered below this (issue #14).
MIN_RATERS_FLOOR = 3
OTHERS = "others"
ALL = "all"
MANAGER = "manager"


@dataclass(frozen=True, slots=True)
class FeedbackRules:
    """What may be shown: the configured groups (key -> label, in display order) and thresholds."""

    groups: Mapping[str, str]
    min_raters: int = MIN_RATERS_FLOOR
    #: Show the manager group below ``min_raters`` (the rater's form says so).
    show_manager: bool = False
    manager_group: str = MANAGER

    def __post_init__(self) -> None:
        if self.min_raters < MIN_RATERS_FLOOR:
            raise ValueError(f"min_raters must be at least {MIN_RATERS_FLOOR}")

    def label(self, group: str) -> str:
        return self.groups.get(group, group)


#: One step of a behavior's scale: the rubric level's order and name.
ScaleLevel = LevelRef


@dataclass(frozen=True, slots=True)
class BehaviorScale:
    """A behavior as raters answer it: its levels, lowest first (rater index 0 = the first)."""

    id: str
    name: str
    levels: tuple[ScaleLevel, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """One shown aggregate over one behavior: a group, "others" or all the shown raters."""

    key: str
    label: str
    #: Raters who rated the behavior (not "not observed").
    n: int
    not_observed: int
    #: Median of the levels' orders (a half when n is even and the middle two differ).
    median: float
    #: Raters per level of the behavior's scale, lowest first.
    distribution: tuple[int, ...]
    #: The groups this figure covers (several for "others" and "all").
    groups: tuple[str, ...]
    #: The manager shown below the threshold by setting.
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class CommentGroup:
    """Comments of one shown group, verbatim, unattributed, in hash order."""

    key: str
    label: str
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BehaviorFeedback:
    """Self, coach and others side by side for one behavior."""

    id: str
    name: str
    levels: tuple[ScaleLevel, ...]
    figures: tuple[Figure, ...]
    #: The reference for the flags: the combined figure's median, or the only figure's.
    others_median: float | None
    self_level: int | None
    coach_level: int | None
    #: Self at least one level above the others' median.
    blind_spot: bool
    #: Self at least one level below it.
    hidden_strength: bool
    comments: tuple[CommentGroup, ...]


@dataclass(frozen=True, slots=True)
class GroupCount:
    """How many raters of a shown group answered (only for groups shown overall)."""

    key: str
    label: str
    answered: int
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class FeedbackAggregate:
    """Everything about the feedback that may be shown to the participant and their coach."""

    min_raters: int
    behaviors: tuple[BehaviorFeedback, ...]
    groups: tuple[GroupCount, ...]
    keep_doing: tuple[CommentGroup, ...]
    start_doing: tuple[CommentGroup, ...]
    #: Raters who answered, all groups together (the participant sees who answered anyway).
    answered: int = field(default=0)

    @property
    def has_figures(self) -> bool:
        return any(behavior.figures for behavior in self.behaviors)


@dataclass(frozen=True, slots=True)
class _Part:
    """A set of raters (indices into the responses) behind one would-be figure."""

    key: str
    label: str
    raters: tuple[int, ...]
    groups: tuple[str, ...]
    exempt: bool = False


def partition_raters(members: Mapping[str, Sequence[int]], rules: FeedbackRules) -> list[_Part]:
    """The shown parts for one question: groups at the threshold, the exempt manager, "others".

    ``members`` maps each group to the raters (indices) who answered this
    question, in the rules' group order first. Groups below the threshold go
    into one pool, shown as "others" when it reaches it, left out otherwise.
    """
    parts: list[_Part] = []
    pool: list[int] = []
    pooled: list[str] = []
    for group in _ordered_groups(members, rules):
        raters = tuple(members[group])
        if not raters:
            continue
        if len(raters) >= rules.min_raters:
            parts.append(_Part(group, rules.label(group), raters, (group,)))
        elif rules.show_manager and group == rules.manager_group:
            parts.append(_Part(group, rules.label(group), raters, (group,), exempt=True))
        else:
            pool.extend(raters)
            pooled.append(group)
    if len(pool) >= rules.min_raters:
        parts.append(_Part(OTHERS, N_("Others"), tuple(sorted(pool)), tuple(pooled)))
    return parts


def shown_parts(members: Mapping[str, Sequence[int]], rules: FeedbackRules) -> list[_Part]:
    """:func:`partition_raters` plus the combined figure when two or more parts qualify."""
    parts = partition_raters(members, rules)
    counted = [part for part in parts if not part.exempt]
    if len(counted) >= 2:
        union = tuple(sorted(rater for part in counted for rater in part.raters))
        groups = tuple(group for part in counted for group in part.groups)
        parts.append(_Part(ALL, "All shown raters", union, groups))
    return parts


def aggregate_feedback(
    *,
    responses: Sequence[RaterResponse],
    behaviors: Sequence[BehaviorScale],
    rules: FeedbackRules,
    self_levels: Mapping[str, int | None] | None = None,
    coach_levels: Mapping[str, int | None] | None = None,
) -> FeedbackAggregate:
    """The shown aggregates of ``responses`` under ``rules`` (see the module docstring).

    Level indices outside a behavior's scale and behaviors the rubric does not
    have are ignored (a rubric version is pinned, so they should not occur).
    ``self_levels`` / ``coach_levels`` are level orders (0 = not yet).
    """
    self_levels = self_levels or {}
    coach_levels = coach_levels or {}
    everyone = _members(responses, range(len(responses)))
    results = tuple(
        _behavior(
            behavior,
            responses,
            rules,
            everyone,
            self_level=self_levels.get(behavior.id),
            coach_level=coach_levels.get(behavior.id),
        )
        for behavior in behaviors
    )
    overall = partition_raters(everyone, rules)
    return FeedbackAggregate(
        min_raters=rules.min_raters,
        behaviors=results,
        groups=tuple(
            GroupCount(part.key, part.label, len(part.raters), part.exempt) for part in overall
        ),
        keep_doing=_comment_groups(overall, [r.keep_doing for r in responses]),
        start_doing=_comment_groups(overall, [r.start_doing for r in responses]),
        answered=len(responses),
    )


def rated_index(response: RaterResponse, behavior: BehaviorScale) -> int | None:
    """The rater's level index for ``behavior``, or None (not observed, missing or out of scale)."""
    index = response.levels.get(behavior.id)
    if index is None or not 0 <= index < len(behavior.levels):
        return None
    return index


def _behavior(
    behavior: BehaviorScale,
    responses: Sequence[RaterResponse],
    rules: FeedbackRules,
    everyone: Mapping[str, Sequence[int]],
    *,
    self_level: int | None,
    coach_level: int | None,
) -> BehaviorFeedback:
    rated = [
        i for i, response in enumerate(responses) if rated_index(response, behavior) is not None
    ]
    parts = shown_parts(_members(responses, rated), rules)
    figures = tuple(_figure(part, behavior, responses, everyone) for part in parts)
    reference = _reference(figures)
    # Comments: under the group part shown for this behavior (never under "all").
    comment_parts = [part for part in parts if part.key != ALL]
    comments = _comment_groups(
        [_widen(part, everyone) for part in comment_parts],
        [response.comments.get(behavior.id, "") for response in responses],
    )
    gap = None if reference is None or self_level is None else self_level - reference
    return BehaviorFeedback(
        id=behavior.id,
        name=behavior.name,
        levels=behavior.levels,
        figures=figures,
        others_median=reference,
        self_level=self_level,
        coach_level=coach_level,
        blind_spot=gap is not None and gap >= 1,
        hidden_strength=gap is not None and gap <= -1,
        comments=comments,
    )


def _figure(
    part: _Part,
    behavior: BehaviorScale,
    responses: Sequence[RaterResponse],
    everyone: Mapping[str, Sequence[int]],
) -> Figure:
    counts = [0] * len(behavior.levels)
    orders: list[int] = []
    for rater in part.raters:
        index = rated_index(responses[rater], behavior)
        assert index is not None  # parts hold only raters who rated the behavior
        counts[index] += 1
        orders.append(behavior.levels[index].order)
    answered = sum(len(everyone.get(group, ())) for group in part.groups)
    median = median_of(Counter(orders))
    assert median is not None  # a part has at least one rater
    return Figure(
        key=part.key,
        label=part.label,
        n=len(part.raters),
        not_observed=answered - len(part.raters),
        median=median,
        distribution=tuple(counts),
        groups=part.groups,
        exempt=part.exempt,
    )


def _reference(figures: Sequence[Figure]) -> float | None:
    """The others' median the flags compare self with: "all", else the one counted figure."""
    counted = [figure for figure in figures if not figure.exempt]
    for figure in counted:
        if figure.key == ALL:
            return figure.median
    return counted[0].median if len(counted) == 1 else None


def _widen(part: _Part, everyone: Mapping[str, Sequence[int]]) -> _Part:
    """The part's groups with every rater who answered (a comment may come with "not observed")."""
    raters = tuple(sorted(rater for group in part.groups for rater in everyone.get(group, ())))
    return _Part(part.key, part.label, raters, part.groups, part.exempt)


def _comment_groups(parts: Iterable[_Part], texts: Sequence[str]) -> tuple[CommentGroup, ...]:
    groups = []
    for part in parts:
        comments = [texts[rater].strip() for rater in part.raters if texts[rater].strip()]
        if comments:
            groups.append(CommentGroup(part.key, part.label, shuffle_comments(comments)))
    return tuple(groups)


def shuffle_comments(comments: Iterable[str]) -> tuple[str, ...]:
    """Comments in the order of a hash of their text: stable, and independent of who wrote when."""
    return tuple(
        sorted(comments, key=lambda text: (hashlib.sha256(text.encode()).hexdigest(), text))
    )


def _members(responses: Sequence[RaterResponse], raters: Iterable[int]) -> dict[str, list[int]]:
    members: dict[str, list[int]] = {}
    for rater in raters:
        members.setdefault(responses[rater].group, []).append(rater)
    return members


def _ordered_groups(members: Mapping[str, Sequence[int]], rules: FeedbackRules) -> list[str]:
    """Configured groups in their order, then any others the answers name (a removed group)."""
    known = [group for group in rules.groups if group in members]
    return known + sorted(group for group in members if group not in rules.groups)
