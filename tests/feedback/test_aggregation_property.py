"""Anonymity by construction: no combination of shown aggregates isolates fewer than min raters.

For random raters (groups of random sizes, random levels, "not observed" at
random, a random threshold of 3-5, the manager setting on or off), every
figure :func:`aggregate_feedback` shows is taken back to the set of raters it
rests on (its groups' raters who rated the behavior: the figure names its
groups; its ``n`` and distribution must match that set). Then, per behavior,
every set anyone can derive from the shown figures (differences between any
two unions of figures: "all" minus the shown groups, one group minus another,
sums) must be empty or hold at least ``min_raters`` raters, apart from an
exempt manager (shown below the threshold by setting, as the form told them).
The Venn cells of the figures are checked as well: every derivable set is a
union of cells, so cells of at least ``min_raters`` prove it for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.feedback.aggregation import (
    BehaviorScale,
    FeedbackAggregate,
    FeedbackRules,
    ScaleLevel,
    aggregate_feedback,
)
from app.feedback.responses import RaterResponse

GROUPS = {
    "manager": "Manager",
    "peers": "Peers",
    "reports": "Direct reports",
    "stakeholders": "Stakeholders",
}
#: One group the settings no longer list (answers given before a configuration change).
KEYS = [*GROUPS, "former"]
BEHAVIORS = [
    BehaviorScale("one", "One", tuple(ScaleLevel(order, f"L{order}") for order in range(1, 6))),
    BehaviorScale("two", "Two", tuple(ScaleLevel(order, f"L{order}") for order in (2, 3, 4))),
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[RaterResponse], FeedbackRules]:
    rules = FeedbackRules(
        groups=GROUPS, min_raters=draw(st.integers(3, 5)), show_manager=draw(st.booleans())
    )
    responses = []
    for group in KEYS:
        for _ in range(draw(st.integers(0, 9))):
            levels = {
                behavior.id: draw(st.none() | st.integers(0, len(behavior.levels) - 1))
                for behavior in BEHAVIORS
            }
            comments = {b.id: f"{group}:{len(responses)}" for b in BEHAVIORS if draw(st.booleans())}
            responses.append(
                RaterResponse(group, levels, comments, f"{group}:{len(responses)}", "")
            )
    return draw(st.permutations(responses)), rules


def rated_set(
    responses: Sequence[RaterResponse], behavior: BehaviorScale, groups: Sequence[str]
) -> frozenset[int]:
    return frozenset(
        i
        for i, r in enumerate(responses)
        if r.group in groups and r.levels.get(behavior.id) is not None
    )


def leaks(sets: Sequence[frozenset[int]], exempt: frozenset[int], k: int) -> list[frozenset[int]]:
    """Derivable sets (differences of unions of ``sets``) with 1..k-1 non-exempt raters."""
    unions = {
        frozenset(chain.from_iterable(c))
        for n in range(len(sets) + 1)
        for c in combinations(sets, n)
    }
    derived = {a - b for a in unions for b in unions} | unions
    cells: dict[tuple[bool, ...], set[int]] = {}
    for rater in set().union(*sets):
        cells.setdefault(tuple(rater in s for s in sets), set()).add(rater)
    derived |= {frozenset(cell) for cell in cells.values()}
    return [s for s in derived if 0 < len(s - exempt) < k]


def check(responses: list[RaterResponse], rules: FeedbackRules, result: FeedbackAggregate) -> None:
    k = rules.min_raters
    for behavior, shown in zip(BEHAVIORS, result.behaviors, strict=True):
        sets, exempt = [], frozenset[int]()
        for figure in shown.figures:
            raters = rated_set(responses, behavior, figure.groups)
            assert figure.n == len(raters)
            counts = [0] * len(behavior.levels)
            for i in raters:
                counts[responses[i].levels[behavior.id]] += 1  # type: ignore[index]
            assert figure.distribution == tuple(counts)
            if figure.exempt:
                assert rules.show_manager and figure.groups == ("manager",)
                exempt = exempt | raters
            else:
                assert figure.n >= k
            sets.append(raters)
        assert leaks(sets, exempt, k) == []
        # Comments appear only under a shown figure's groups, never elsewhere.
        shown_groups = {g for figure in shown.figures for g in figure.groups}
        for group in shown.comments:
            (figure,) = [f for f in shown.figures if f.key == group.key]
            authors = {text.split(":")[0] for text in group.comments}
            assert authors <= set(figure.groups) <= shown_groups
    for count in result.groups:
        assert count.exempt or count.answered >= k
    counted = {count.key for count in result.groups}
    for comments in result.keep_doing:
        assert comments.key in counted


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_combination_of_shown_aggregates_isolates_fewer_than_min_raters(
    case: tuple[list[RaterResponse], FeedbackRules],
) -> None:
    responses, rules = case
    result = aggregate_feedback(responses=responses, behaviors=BEHAVIORS, rules=rules)
    check(responses, rules, result)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_the_figures_do_not_depend_on_the_answers_order(
    case: tuple[list[RaterResponse], FeedbackRules],
) -> None:
    responses, rules = case
    forward = aggregate_feedback(responses=responses, behaviors=BEHAVIORS, rules=rules)
    backward = aggregate_feedback(responses=responses[::-1], behaviors=BEHAVIORS, rules=rules)
    assert [b.figures for b in forward.behaviors] == [b.figures for b in backward.behaviors]
    assert [b.comments for b in forward.behaviors] == [b.comments for b in backward.behaviors]


def test_the_check_finds_a_naive_all_raters_figure() -> None:
    """The property can fail: "all raters" beside the shown groups isolates a lone manager."""
    peers, manager = frozenset({0, 1, 2}), frozenset({3})
    assert leaks([peers, peers | manager], frozenset(), 3) == [manager]
    # Two overlapping pools that differ by one rater leak that rater too.
    assert frozenset({3}) in leaks([frozenset({0, 1, 2}), frozenset({1, 2, 3})], frozenset(), 3)
    # ... and an exempt manager's own figure is no leak.
    assert leaks([peers, manager], manager, 3) == []
