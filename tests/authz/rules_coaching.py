"""Authorization rules: coach review sessions, the development plan, growth, coaching pages.

The owner has two submitted ``mini`` assessments: one with a *finalized*
review (and a plan action agreed in it), one with a review *in progress*
(every behavior rated, version 2, with a plan action not yet shown to the
owner). The assigned coach and admins may do everything; the owner reads
only the finalized review (shared view) and changes only the status of
agreed actions; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.coaching import plan, service
from tests.authz.matrix import (
    Context,
    Rule,
    World,
    coach_admin,
    expect,
    owner_coach_admin,
    signed_in,
)
from tests.fixtures.assessments import MINI_INCONSISTENT, make_assessment

RATED = {"planning": {"coach_level": 1, "target_level": 3}, "review": {"coach_level": 1}}


def _submitted(world: World, session: Session) -> int:
    return make_assessment(session=session, user=world.owner, answers=MINI_INCONSISTENT).id


def prepare(world: World, session: Session) -> dict[str, Any]:
    coach = world.assigned_coach
    final_assessment = _submitted(world, session)
    final = service.start_review(session=session, user=coach, assessment_id=final_assessment)
    service.save_review(
        session=session, user=coach, review_id=final.id, expected_version=1, ratings=RATED
    )
    agreed = plan.add_plan_action(session=session, user=coach, review_id=final.id, title="Agreed")
    service.finalize_review(session=session, user=coach, review_id=final.id, expected_version=2)

    open_assessment = _submitted(world, session)
    draft = service.start_review(session=session, user=coach, assessment_id=open_assessment)
    service.save_review(
        session=session, user=coach, review_id=draft.id, expected_version=1, ratings=RATED
    )
    pending = plan.add_plan_action(session=session, user=coach, review_id=draft.id, title="Draft")
    return {
        "assessment_id": final_assessment,
        "open_assessment_id": open_assessment,
        "review_id": final.id,
        "draft_review_id": draft.id,
        "action_id": agreed.id,
        "draft_action_id": pending.id,
        "participant_id": world.owner.id,
    }


def _draft(ctx: Context) -> dict[str, Any]:
    return {"review_id": ctx["draft_review_id"]}


def _open(ctx: Context) -> dict[str, Any]:
    return {"assessment_id": ctx["open_assessment_id"]}


#: Pages: anonymous browsers are redirected to the login page.
page_coach_admin = coach_admin(200, anonymous=303)

RULES: list[Rule] = [
    # -- JSON API -------------------------------------------------------------------
    Rule("GET", "/api/v1/coaching/participants", signed_in(200)),
    Rule("POST", "/api/v1/assessments/{assessment_id}/reviews", coach_admin(201)),
    Rule(
        "POST",
        "/api/v1/assessments/{assessment_id}/reviews",
        coach_admin(409),
        params=_open,
        name="a session is in progress",
    ),
    Rule("GET", "/api/v1/assessments/{assessment_id}/reviews", owner_coach_admin(200)),
    # A finalized review: the owner reads the shared view; a draft: coach side only.
    Rule("GET", "/api/v1/reviews/{review_id}", owner_coach_admin(200)),
    Rule("GET", "/api/v1/reviews/{review_id}", coach_admin(200), params=_draft, name="draft"),
    Rule(
        "PATCH",
        "/api/v1/reviews/{review_id}",
        coach_admin(200),
        params=_draft,
        json={"version": 2, "shared_notes": "Shared", "private_notes": "Private"},
    ),
    Rule(
        "PATCH",
        "/api/v1/reviews/{review_id}",
        coach_admin(409),
        json={"version": 3, "private_notes": "Too late"},
        name="finalized",
    ),
    Rule(
        "POST",
        "/api/v1/reviews/{review_id}/finalize",
        coach_admin(200),
        params=_draft,
        json={"version": 2},
    ),
    Rule(
        "POST",
        "/api/v1/reviews/{review_id}/plan-actions",
        coach_admin(201),
        params=_draft,
        json={"suggestion": {"behavior_id": "planning", "level": "expert", "index": 0}},
    ),
    Rule(
        "PATCH",
        "/api/v1/plan-actions/{action_id}",
        owner_coach_admin(200),
        json={"version": 1, "status": "done"},
    ),
    Rule(
        "PATCH",
        "/api/v1/plan-actions/{action_id}",
        expect(
            anonymous=401,
            owner=422,  # the participant changes the status only
            other_participant=404,
            assigned_coach=200,
            unassigned_coach=404,
            admin=200,
        ),
        json={"version": 1, "title": "Renamed"},
        name="title",
    ),
    Rule(
        "PATCH",
        "/api/v1/plan-actions/{action_id}",
        coach_admin(200),
        params=lambda ctx: {"action_id": ctx["draft_action_id"]},
        json={"version": 1, "status": "in_progress"},
        name="not agreed yet",
    ),
    Rule("GET", "/api/v1/participants/{participant_id}/plan", owner_coach_admin(200)),
    Rule("GET", "/api/v1/participants/{participant_id}/growth", owner_coach_admin(200)),
    # -- pages ----------------------------------------------------------------------
    Rule("GET", "/coaching", signed_in(200, anonymous=303)),
    Rule("GET", "/coaching/participants/{participant_id:id}", page_coach_admin),
    Rule(
        "POST",
        "/coaching/assessments/{assessment_id:id}/review",
        coach_admin(303, anonymous=303),
        params=_open,
    ),
    Rule(
        "GET",
        "/coaching/reviews/{review_id:id}",
        expect(
            anonymous=303,
            owner=303,  # to their results page, where the shared parts are
            other_participant=404,
            assigned_coach=200,
            unassigned_coach=404,
            admin=200,
        ),
    ),
    Rule("GET", "/coaching/reviews/{review_id:id}", page_coach_admin, params=_draft, name="draft"),
    Rule(
        "POST",
        "/coaching/reviews/{review_id:id}",
        coach_admin(303, anonymous=303),
        params=_draft,
        form={"version": "2", "shared_notes": "From the form"},
    ),
    Rule(
        "POST",
        "/coaching/reviews/{review_id:id}",
        coach_admin(409, anonymous=303),  # read-only: the page again, with the message
        form={"version": "3", "shared_notes": "Too late"},
        name="finalized",
    ),
    Rule("GET", "/coaching/reviews/{review_id:id}/finalize", page_coach_admin, params=_draft),
    Rule(
        "POST",
        "/coaching/reviews/{review_id:id}/finalize",
        coach_admin(303, anonymous=303),
        params=_draft,
        form={"version": "2"},
    ),
    Rule(
        "POST",
        "/coaching/plan-actions/{action_id:id}/status",
        owner_coach_admin(303, anonymous=303),
        form={"version": "1", "status": "done"},
    ),
]
