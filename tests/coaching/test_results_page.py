"""The results, home, finalize and participant pages once a coach reviews (issue 17).

Plain HTTP without JavaScript: what the pages say after a finalized review
(the PDF's story: agreed level, target, overlays), who sees the answers, the
counts and plurals of the finalize page, the plan's order and overdue flags,
and the coach's participant page after finalizing.
"""

from __future__ import annotations

import re
from datetime import timedelta

from app.core.timeutils import utcnow
from tests.coaching.conftest import Api, CoachingPair, finalize


def _finalized(api: Api, aid: int, *, actions: list[dict[str, object]] | None = None) -> int:
    """A review of ``aid``: planning rated practitioner (2) with target expert, review novice."""
    rid = int(api.start(aid)["id"])
    ratings = {
        "planning": {"coach_level": 1, "target_level": 3, "rationale": "Plans the day well."},
        "review": {"coach_level": 1},
    }
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
    for action in actions or []:
        api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json=action)
    finalize(api, rid)
    return rid


def test_results_after_a_review_tell_the_pdfs_story(pair: CoachingPair) -> None:
    aid = pair.submit()
    before = pair.participant_browser().get(f"/assessments/{aid}/results").text
    # Self only: where you are is the self level (practitioner), one next step.
    assert "Where you are now" in before
    assert "(your coach's rating)" not in before
    assert "chart-series-coach" not in before

    _finalized(pair.coach_api(), aid)
    page = pair.participant_browser().get(f"/assessments/{aid}/results")
    assert page.status_code == 200
    text = page.text
    # Planning: self practitioner (2), coach novice (1), target expert (3).
    planning = text[text.index('id="behavior-planning"') : text.index('id="behavior-review"')]
    assert "Novice (your coach's rating) → target Expert" in planning
    assert "Plans a day." in planning  # the descriptor at the coach's level
    # The path leads up to the target: practitioner, then expert, as in the PDF.
    assert re.findall(r"Step [0-9] towards your target: (\w+)", planning) == [
        "Practitioner", "Expert"
    ]  # fmt: skip
    assert "Blind spot:" in planning
    assert "Plans the day well." in planning
    # The competency shows the agreed level (minimum of novice, novice).
    assert "Agreed level:" in text
    # The ratings table marks blind spots and gaps in words, not colour alone.
    assert "Gap: 2 levels to target" in text
    assert 'cal-flag cal-blind_spot"' in text
    # Level ladder with the marks, and the score in a sentence.
    assert "Level ladder" in planning
    assert "rung-mark mark-target" in planning
    assert "is reached, and you are" in planning
    # The participant does not get their own answers table; nothing private.
    assert "answers-table" not in text


def test_the_coach_sees_the_answers_per_behavior(pair: CoachingPair) -> None:
    aid = pair.submit()
    rid = int(pair.coach_api().start(aid)["id"])
    coach_browser = pair.coach_browser()
    results = coach_browser.get(f"/assessments/{aid}/results").text
    assert "answers-table" in results
    assert "<td>I review others&#39; work.</td>" in results
    assert "4 · Always" in results  # the scale's own label
    review = coach_browser.get(f"/coaching/reviews/{rid}").text
    review_block = review[review.index('id="behavior-review"') :]
    assert f"Answers from {pair.participant.display_name}" in review_block
    assert "(3 statements)" in review_block
    assert "<td>Expert</td>" in review_block  # the coach sees each statement's level


def test_finalize_counts_what_is_true(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = int(api.start(pair.submit())["id"])
    ratings = {"planning": {"coach_level": 1, "target_level": 3}, "review": {"coach_level": 0}}
    api.ok("PATCH", f"/reviews/{rid}", json={"version": 1, "ratings": ratings})
    api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Plan the week"})
    page = pair.coach_browser().get(f"/coaching/reviews/{rid}/finalize").text
    assert "your rating of both behaviors (1 blind spot, no hidden strengths, 1 aligned)" in page
    assert "an agreed target for 1 of the 2 behaviors (1 without one)" in page
    assert "1 action from this session" in page
    assert "(s)" not in page


def test_home_signals_the_shared_plan_and_flags_overdue_actions(pair: CoachingPair) -> None:
    aid = pair.submit()
    me = pair.participant_browser()
    home = me.get("/assessments").text
    assert ">Start</button>" in home and "See your plan" not in home

    today = utcnow().date()
    actions = [
        {"title": "Later one", "due_date": (today + timedelta(days=30)).isoformat()},
        {"title": "No date"},
        {"title": "Late one", "due_date": (today - timedelta(days=3)).isoformat()},
    ]
    _finalized(pair.coach_api(), aid, actions=actions)
    home = me.get("/assessments").text
    assert f"{pair.coach.display_name} shared a development plan" in home
    assert "shared a development plan" in home
    assert "3 actions to work on" in home
    assert "1 overdue" in home
    assert "See your plan" in home
    assert "levels agreed with your coach" in home  # the glance shows the agreed levels
    assert 'class="button button-secondary">Start a new self-assessment' in home

    results = me.get(f"/assessments/{aid}/results").text
    plan = results[results.index('id="your-plan"') :]
    # The PDF's order: earliest due first, no due date last.
    titles = re.findall(r'<p class="plan-title"><strong>([^<]+)</strong>', plan)
    assert titles == ["Late one", "Later one", "No date"]
    late = plan[plan.index("Late one") : plan.index("Later one")]
    assert "Overdue" in late
    assert "Overdue" not in plan[plan.index("Later one") :]


def test_participant_page_after_finalizing(pair: CoachingPair) -> None:
    aid = pair.submit()
    api = pair.coach_api()
    rid = _finalized(api, aid, actions=[{"title": "Weekly plan"}])
    action = api.ok("GET", f"/participants/{pair.participant.id}/plan")["actions"][0]
    updated = pair.participant_browser().post(
        f"/coaching/plan-actions/{action['id']}/status", {"version": "1", "status": "in_progress"}
    )
    assert updated.status_code == 303
    page = pair.coach_browser().get(f"/coaching/participants/{pair.participant.id}").text
    assert "Start a review" not in page
    assert f'href="/coaching/reviews/{rid}">Open the finalized review' in page
    assert "Start a follow-up review" in page  # still possible, behind a disclosure
    assert f"Updates from {pair.participant.display_name}" in page
    assert "status planned → in progress" in page
    # Every submitted assessment without a review still invites one.
    pair.submit()
    page = pair.coach_browser().get(f"/coaching/participants/{pair.participant.id}").text
    assert page.count(">Start a review<") == 1


def test_the_workspace_warns_of_due_dates_in_the_past(pair: CoachingPair) -> None:
    api = pair.coach_api()
    rid = int(api.start(pair.submit())["id"])
    today = utcnow().date()
    for title, due in (("Late", today - timedelta(days=1)), ("Soon", today + timedelta(days=1))):
        api.ok(
            "POST", f"/reviews/{rid}/plan-actions", 201, json={"title": title, "due_date": str(due)}
        )
    page = pair.coach_browser().get(f"/coaching/reviews/{rid}").text
    hints = re.findall(r'<p class="hint due-hint" data-due-hint( hidden)?>(.*?)</p>', page)
    assert hints == [
        ("", "<strong>Overdue:</strong> this date has passed and the action is not done."),
        (" hidden", "This date is in the past."),
    ]
    assert "js/due-dates.js" in page
