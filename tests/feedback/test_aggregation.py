"""Aggregation against hand-computed cases: thresholds, others, manager, all, flags, comments."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.feedback.aggregation import (
    BehaviorScale,
    FeedbackRules,
    ScaleLevel,
    aggregate_feedback,
    shuffle_comments,
)
from app.feedback.responses import RaterResponse
from app.feedback.results import feedback_rules

GROUPS = {
    "manager": "Manager",
    "peers": "Peers",
    "reports": "Direct reports",
    "stakeholders": "Stakeholders",
}
RULES = FeedbackRules(groups=GROUPS, min_raters=3)
#: Levels 1..5 (Beginner .. Catalyst); rater index 0 is order 1.
SCALE = tuple(ScaleLevel(order, name) for order, name in enumerate(["B", "I", "A", "G", "C"], 1))
ALIGN = BehaviorScale("align", "Stakeholder alignment", SCALE)
#: A behavior that defines only three levels (orders 2, 3, 4): index 0 is order 2.
PARTIAL = BehaviorScale("partial", "Partial", SCALE[1:4])


def rater(
    group: str,
    align: int | None = None,
    *,
    comment: str = "",
    keep: str = "",
    partial: int | None = None,
) -> RaterResponse:
    return RaterResponse(
        group=group,
        levels={"align": align, "partial": partial},
        comments={"align": comment} if comment else {},
        keep_doing=keep,
        start_doing="",
    )


def figures(responses: list[RaterResponse], rules: FeedbackRules = RULES, **kwargs: object):
    result = aggregate_feedback(responses=responses, behaviors=[ALIGN], rules=rules, **kwargs)  # type: ignore[arg-type]
    return result, {figure.key: figure for figure in result.behaviors[0].figures}


def test_a_group_at_the_threshold_is_shown_with_median_and_distribution() -> None:
    # peers rate indices 1, 2, 4 -> orders 2, 3, 5: median 3; one not observed.
    _, shown = figures(
        [rater("peers", 1), rater("peers", 2), rater("peers", 4), rater("peers", None)]
    )
    assert list(shown) == ["peers"]
    peers = shown["peers"]
    assert (peers.n, peers.not_observed, peers.median) == (3, 1, 3.0)
    assert peers.distribution == (0, 1, 1, 0, 1)


def test_the_threshold_counts_raters_who_rated_the_behavior_not_who_answered() -> None:
    # Four peers answered, but only two rated "align": nothing is shown for it.
    result, shown = figures([rater("peers", 1), rater("peers", 2), rater("peers"), rater("peers")])
    assert shown == {}
    assert result.behaviors[0].others_median is None
    # ... yet the group as such (four answered) is counted for the overall comments.
    assert [(g.key, g.answered) for g in result.groups] == [("peers", 4)]


def test_small_groups_are_merged_into_others_when_the_pool_reaches_the_threshold() -> None:
    responses = [rater("manager", 4), rater("reports", 0), rater("reports", 1)] + [
        rater("peers", 2)
    ] * 3
    _, shown = figures(responses)
    assert list(shown) == ["peers", "others", "all"]
    others = shown["others"]
    assert (others.n, others.groups, others.median) == (3, ("manager", "reports"), 2.0)
    assert others.distribution == (1, 1, 0, 0, 1)
    everyone = shown["all"]
    assert (everyone.n, everyone.median) == (6, 3.0)  # orders 5,1,2,3,3,3
    assert everyone.distribution == (1, 1, 3, 0, 1)


def test_a_pool_below_the_threshold_is_left_out_and_then_there_is_no_all_figure() -> None:
    # Peers (3) shown; manager + one report = 2: dropped. An "all" over 5 raters
    # minus peers would be those two: it is not shown (there is only one part).
    responses = [rater("manager", 4), rater("reports", 0)] + [rater("peers", 2)] * 3
    result, shown = figures(responses)
    assert list(shown) == ["peers"]
    assert result.behaviors[0].others_median == 3.0


def test_the_all_figure_covers_only_shown_raters() -> None:
    # peers 3, stakeholders 3 shown, a lone manager left out: "all" has 6, not 7.
    responses = [rater("manager", 0)] + [rater("peers", 1)] * 3 + [rater("stakeholders", 3)] * 3
    _, shown = figures(responses)
    assert list(shown) == ["peers", "stakeholders", "all"]
    assert shown["all"].n == 6
    assert shown["all"].groups == ("peers", "stakeholders")
    assert shown["all"].median == 3.0  # orders 2,2,2,4,4,4


def test_the_manager_below_the_threshold_only_when_the_setting_says_so() -> None:
    responses = [rater("manager", 4)] + [rater("peers", 1)] * 3
    _, hidden = figures(responses)
    assert "manager" not in hidden
    rules = FeedbackRules(groups=GROUPS, min_raters=3, show_manager=True)
    result, shown = figures(responses, rules)
    assert list(shown) == ["manager", "peers"]
    assert shown["manager"].exempt and shown["manager"].n == 1
    # The exempt manager takes no part in the flags' reference nor in "all".
    assert result.behaviors[0].others_median == 2.0
    assert [(g.key, g.exempt) for g in result.groups] == [("manager", True), ("peers", False)]


def test_an_even_count_has_a_half_median() -> None:
    _, shown = figures([rater("peers", 1), rater("peers", 1), rater("peers", 2), rater("peers", 2)])
    assert shown["peers"].median == 2.5


def test_indices_map_to_the_behaviors_own_levels() -> None:
    responses = [rater("peers", partial=0), rater("peers", partial=0), rater("peers", partial=2)]
    result = aggregate_feedback(responses=responses, behaviors=[PARTIAL], rules=RULES)
    (peers,) = result.behaviors[0].figures
    assert peers.median == 2.0 and peers.distribution == (2, 0, 1)


def test_out_of_scale_indices_are_not_counted() -> None:
    _, shown = figures([rater("peers", 1), rater("peers", 2), rater("peers", 9)])
    assert shown == {}


@pytest.mark.parametrize(
    ("self_level", "blind", "hidden"),
    [(4, True, False), (3, False, False), (2, False, True), (None, False, False)],
)
def test_flags_compare_self_with_the_others_median(
    self_level: int | None, blind: bool, hidden: bool
) -> None:
    result, _ = figures(
        [rater("peers", 2)] * 3, self_levels={"align": self_level}, coach_levels={"align": 2}
    )
    behavior = result.behaviors[0]
    assert (behavior.others_median, behavior.self_level, behavior.coach_level) == (
        3.0,
        self_level,
        2,
    )
    assert (behavior.blind_spot, behavior.hidden_strength) == (blind, hidden)


def test_half_a_level_is_no_flag() -> None:
    responses = [rater("peers", 1), rater("peers", 1), rater("peers", 2), rater("peers", 2)]
    result, _ = figures(responses, self_levels={"align": 3})
    assert not result.behaviors[0].blind_spot and not result.behaviors[0].hidden_strength


def test_comments_only_for_shown_groups_unattributed_in_hash_order() -> None:
    responses = (
        [rater("peers", 2, comment=text) for text in ("zeta", "alpha", "mid")]
        + [
            rater("manager", 1, comment="the manager's words"),
            rater("reports", 1, comment="a report"),
        ]
        + [rater("peers", None, comment="seen a little")]
    )
    result, _ = figures(responses)
    (group,) = result.behaviors[0].comments
    assert group.key == "peers"
    assert group.comments == shuffle_comments(["zeta", "alpha", "mid", "seen a little"])
    assert sorted(group.comments) == ["alpha", "mid", "seen a little", "zeta"]


def test_comment_order_does_not_follow_the_answers_order() -> None:
    texts = [f"comment {i}" for i in range(8)]
    assert shuffle_comments(texts) == shuffle_comments(reversed(texts))
    assert list(shuffle_comments(texts)) != texts


def test_overall_comments_follow_the_group_partition() -> None:
    responses = [rater("peers", keep=f"keep {i}") for i in range(3)] + [
        rater("manager", keep="boss")
    ]
    result = aggregate_feedback(responses=responses, behaviors=[ALIGN], rules=RULES)
    assert [(g.key, len(g.comments)) for g in result.keep_doing] == [("peers", 3)]
    assert result.answered == 4


@pytest.mark.parametrize("threshold", [0, 1, 2])
def test_a_threshold_below_three_is_refused(threshold: int) -> None:
    with pytest.raises(ValueError, match="at least 3"):
        FeedbackRules(groups=GROUPS, min_raters=threshold)


def test_a_higher_threshold_applies() -> None:
    rules = FeedbackRules(groups=GROUPS, min_raters=4)
    _, shown = figures([rater("peers", 2)] * 3, rules)
    assert shown == {}


@pytest.mark.parametrize("threshold", ["0", "2"])
def test_the_setting_below_three_is_refused_at_start_up(
    threshold: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEPWISE_FEEDBACK_MIN_RATERS", threshold)
    with pytest.raises(ValidationError, match="feedback_min_raters"):
        Settings()


def test_the_rules_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPWISE_FEEDBACK_MIN_RATERS", "4")
    monkeypatch.setenv("STEPWISE_FEEDBACK_SHOW_MANAGER", "true")
    rules = feedback_rules(Settings())
    assert (rules.min_raters, rules.show_manager) == (4, True)
    assert list(rules.groups) == ["manager", "peers", "direct_reports", "stakeholders"]
