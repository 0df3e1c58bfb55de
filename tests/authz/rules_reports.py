"""Authorization rules: report PDF and HTML preview, share links, the public shared PDF.

The owner has one submitted ``mini`` assessment and one share link to its
report. Reading the report is as for the assessment (owner, assigned coach,
admin); share links are the owner's alone, even their coach and admins get
404; the shared PDF and its landing page need no account at all.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.reports import service
from tests.authz.matrix import Rule, World, everyone, owner_coach_admin, owner_only
from tests.fixtures.assessments import MINI_CONSISTENT, make_assessment


def prepare(world: World, session: Session) -> dict[str, Any]:
    owner = world.owner
    state = make_assessment(session=session, user=owner, answers=MINI_CONSISTENT)
    created = service.create_share_link(
        session=session, user=owner, assessment_id=state.id, expires_in_days=7
    )
    return {"assessment_id": state.id, "link_id": created.link.id, "secret": created.secret}


RULES: list[Rule] = [
    Rule("GET", "/api/v1/assessments/{assessment_id}/report.pdf", owner_coach_admin(200)),
    Rule("GET", "/api/v1/assessments/{assessment_id}/report.html", owner_coach_admin(200)),
    Rule(
        "POST",
        "/api/v1/assessments/{assessment_id}/share-links",
        owner_only(201),
        json={"expires_in_days": 3},
    ),
    Rule("GET", "/api/v1/assessments/{assessment_id}/share-links", owner_only(200)),
    Rule("DELETE", "/api/v1/share-links/{link_id}", owner_only(200)),
    Rule("GET", "/shared/{secret}.pdf", everyone(200), public=True),
    # -- pages: the owner's share page, revoking, the recipient's landing page
    Rule("GET", "/assessments/{assessment_id}/share", owner_only(200, anonymous=303)),
    Rule(
        "POST",
        "/assessments/{assessment_id}/share",
        owner_only(200, anonymous=303),
        form={"expires_in_days": "7", "paper": "letter"},
    ),
    Rule("POST", "/share-links/{link_id}/revoke", owner_only(303, anonymous=303)),
    Rule("GET", "/shared/{secret}", everyone(200), public=True),
]
