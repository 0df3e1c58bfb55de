"""Authorization rules: feedback requests, their invitations, and the raters' links.

The owner has a submitted ``mini`` assessment with an open feedback request
(two raters: one invited, one who submitted) and a second submitted
assessment without a request. The owner, their assigned coach and admins run
the request; everyone else gets 404. A rater's link is public (the secret is
the credential) and opens that rater's form only; an unknown link is 404.
No route returns a rater's answers (``tests/feedback/test_routes.py``).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.accounts import csrf
from app.core.config import get_settings
from app.feedback import rater
from app.feedback.rater import AnswersIn
from tests.authz.matrix import (
    Rule,
    World,
    everyone,
    owner_coach_admin,
    presession_cookie,
)
from tests.fixtures.assessments import MINI_INCONSISTENT, make_assessment
from tests.fixtures.feedback import due_in, open_request

RATER, DONE = "rater@example.test", "done@example.test"


def prepare(world: World, session: Session) -> dict[str, Any]:
    assessment_id = make_assessment(session=session, user=world.owner, answers=MINI_INCONSISTENT).id
    fresh = make_assessment(session=session, user=world.owner, answers=MINI_INCONSISTENT).id
    state, secrets = open_request(
        session,
        user=world.owner,
        assessment_id=assessment_id,
        raters={RATER: "peers", DONE: "manager"},
    )
    rater.submit_rater_answers(
        session=session,
        secret=secrets[DONE],
        expected_version=1,
        answers=AnswersIn(choices={"planning": "0", "review": "2"}),
    )
    return {
        "assessment_id": assessment_id,
        "fresh_assessment_id": fresh,
        "request_id": state.id,
        "invitation_id": state.invitations[0].id,
        "secret": secrets[RATER],
        "done_secret": secrets[DONE],
        "presession": csrf.new_presession_token(key=get_settings().secret_key),
    }


def _fresh(ctx: Any) -> dict[str, Any]:
    return {"assessment_id": ctx["fresh_assessment_id"]}


RATERS = [{"email": "new-rater@example.test", "group": "peers"}]
page_owner_coach_admin = owner_coach_admin(200, anonymous=303)
posted = owner_coach_admin(303, anonymous=303)

RULES: list[Rule] = [
    # -- JSON API -------------------------------------------------------------------
    Rule(
        "POST",
        "/api/v1/assessments/{assessment_id}/feedback-request",
        owner_coach_admin(201),
        params=_fresh,
        json={"due_date": due_in().isoformat(), "raters": RATERS},
    ),
    Rule(
        "POST",
        "/api/v1/assessments/{assessment_id}/feedback-request",
        owner_coach_admin(409),
        json={"due_date": due_in().isoformat(), "raters": RATERS},
        name="one exists",
    ),
    Rule("GET", "/api/v1/assessments/{assessment_id}/feedback-request", owner_coach_admin(200)),
    Rule(
        "GET",
        "/api/v1/assessments/{assessment_id}/feedback-request",
        owner_coach_admin(404),
        params=_fresh,
        name="none yet",
    ),
    Rule("GET", "/api/v1/feedback-requests/{request_id}", owner_coach_admin(200)),
    Rule("GET", "/api/v1/feedback-requests/{request_id}/invitations", owner_coach_admin(200)),
    Rule(
        "POST",
        "/api/v1/feedback-requests/{request_id}/invitations",
        owner_coach_admin(200),
        json={"version": 1, "raters": RATERS},
    ),
    Rule(
        "POST",
        "/api/v1/feedback-requests/{request_id}/close",
        owner_coach_admin(200),
        json={"version": 1},
    ),
    Rule(
        "POST",
        "/api/v1/feedback-invitations/{invitation_id}/resend",
        owner_coach_admin(200),
        json={"version": 1},
    ),
    Rule(
        "POST",
        "/api/v1/feedback-invitations/{invitation_id}/cancel",
        owner_coach_admin(200),
        json={"version": 1},
    ),
    # -- the participant's pages ----------------------------------------------------------
    Rule("GET", "/assessments/{assessment_id:id}/feedback", page_owner_coach_admin),
    Rule(
        "GET",
        "/assessments/{assessment_id:id}/feedback",
        page_owner_coach_admin,
        params=_fresh,
        name="none yet",
    ),
    Rule(
        "POST",
        "/assessments/{assessment_id:id}/feedback",
        posted,
        form={"version": "1", "email.0": "new-rater@example.test", "group.0": "peers"},
    ),
    Rule("POST", "/assessments/{assessment_id:id}/feedback/close", posted, form={"version": "1"}),
    Rule(
        "POST",
        "/assessments/{assessment_id:id}/feedback/invitations/{invitation_id:id}/resend",
        posted,
        form={"version": "1"},
    ),
    Rule(
        "POST",
        "/assessments/{assessment_id:id}/feedback/invitations/{invitation_id:id}/cancel",
        posted,
        form={"version": "1"},
    ),
    # -- the rater's link: public, the secret is the credential -----------------------------
    Rule("GET", "/feedback/{secret}", everyone(200), public=True),
    Rule(
        "GET",
        "/feedback/{secret}",
        everyone(200),
        params=lambda ctx: {"secret": ctx["done_secret"]},
        public=True,
        name="submitted: the thank-you page",
    ),
    Rule(
        "GET",
        "/feedback/{secret}",
        everyone(404),
        params=lambda ctx: {"secret": "A" * 43},
        public=True,
        name="unknown link",
    ),
    Rule(
        "POST",
        "/feedback/{secret}",
        everyone(303),
        form=lambda ctx: {
            "version": "1",
            "go": "save",
            "c.planning": "1",
            "csrf_token": ctx["presession"],
        },
        cookies=presession_cookie,
        public=True,
    ),
    Rule(
        "POST",
        "/feedback/{secret}",
        everyone(403),
        form={"version": "1", "go": "save", "c.planning": "1"},
        public=True,
        name="no CSRF token",
    ),
    Rule(
        "PATCH",
        "/feedback/{secret}/answers",
        everyone(403),
        json={"version": 1, "choices": {"planning": "1"}},
        cookies=presession_cookie,
        public=True,
        name="without the CSRF header",
    ),
]
