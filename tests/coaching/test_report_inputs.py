"""What coaching hands to reports: the latest finalized review and the agreed plan.

Coaching's plain data (:func:`app.coaching.report_inputs.coaching_for_report`)
is mapped by :mod:`app.reports.inputs` and fed through the real builder and
template, so a change on either side that breaks the contract (or lets a
private note through) fails here.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.assessments import service as assessments
from app.coaching.report_inputs import ReportCoaching, coaching_for_report
from app.reports.builder import build_report_data
from app.reports.document import render_report_html
from app.reports.inputs import report_inputs
from app.reports.model import PlanActionInput, ReviewInput
from tests.coaching.conftest import Api, CoachingPair

RATINGS = {
    "planning": {"coach_level": 1, "target_level": 3, "rationale": "Plans weeks only"},
    "review": {"coach_level": 3, "evidence": "Reviewed four PRs"},
}


def _finalized(api: Api, aid: int, private: str) -> int:
    rid: int = api.start(aid)["id"]
    body = {
        "version": 1,
        "ratings": RATINGS,
        "shared_notes": "Keep going",
        "private_notes": private,
    }
    api.ok("PATCH", f"/reviews/{rid}", json=body)
    suggestion = {"behavior_id": "planning", "level": "expert"}
    action = {"suggestion": suggestion, "due_date": "2026-05-01"}
    api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json=action)
    dropped = api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Old idea"})
    api.ok("PATCH", f"/plan-actions/{dropped['id']}", json={"version": 1, "status": "dropped"})
    api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})
    return rid


def test_report_inputs_carry_the_shared_review_and_plan(
    pair: CoachingPair, session: Session
) -> None:
    aid = pair.submit()
    state = assessments.get_assessment_for(
        session=session, user=pair.participant, assessment_id=aid
    )

    def inputs() -> tuple[ReviewInput | None, list[PlanActionInput]]:
        return report_inputs(coaching_for_report(session=session, assessment_id=aid), state.rubric)

    assert coaching_for_report(session=session, assessment_id=aid) == ReportCoaching(None, [])
    assert inputs() == (None, [])

    api = pair.coach_api()
    _finalized(api, aid, "SECRET-NOTE")
    # A later session in progress is not in the report until finalized.
    draft = api.start(aid)["id"]
    api.ok("PATCH", f"/reviews/{draft}", json={"version": 1, "shared_notes": "Draft words"})
    api.ok("POST", f"/reviews/{draft}/plan-actions", 201, json={"title": "Not agreed yet"})

    review, plan = inputs()
    assert review is not None
    assert review.coach_name == pair.coach.display_name
    assert review.summary == "Keep going"
    assert review.behaviors["planning"].level == 1
    assert review.behaviors["planning"].target == 3
    assert review.behaviors["planning"].shared_note == "Plans weeks only"
    assert review.behaviors["planning"].calibration == (
        "Blind spot: self-assessment 1 level above the coach's rating"
    )
    assert review.behaviors["review"].calibration == (
        "Hidden strength: self-assessment 3 levels below the coach's rating"
    )
    assert review.behaviors["review"].shared_note == "Evidence: Reviewed four PRs"
    assert [(a.title, a.behavior_id, a.due_on) for a in plan] == [
        ("Draft a quarterly plan.", "planning", date(2026, 5, 1))
    ]  # dropped and not-yet-agreed actions are left out

    assert state.result is not None
    data = build_report_data(
        rubric=state.rubric,
        result=state.result,
        participant_name=pair.participant.display_name,
        assessed_on=date(2026, 1, 1),
        review=review,
        plan=plan,
    )
    html = render_report_html(data, asset_base="/static/")
    assert "Keep going" in html
    assert "Draft a quarterly plan." in html
    assert "SECRET-NOTE" not in html
    assert "Draft words" not in html
