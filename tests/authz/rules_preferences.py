"""Authorization rules: one's own notification preferences (page and API).

Everyone signed in has preferences (possibly none to choose); a kind of
another role's mail is refused with 422, not hidden behind 404, since it is
the caller's own resource.
"""

from __future__ import annotations

from tests.authz.matrix import Rule, expect, signed_in

RULES: list[Rule] = [
    Rule("GET", "/api/v1/me/notification-preferences", signed_in(200)),
    Rule("PUT", "/api/v1/me/notification-preferences", signed_in(200), json={}),
    Rule(
        "PUT",
        "/api/v1/me/notification-preferences",
        expect(
            anonymous=401,
            owner=200,
            other_participant=200,
            assigned_coach=422,
            unassigned_coach=422,
            admin=422,
        ),
        json={"plan_reminder": False},
        name="a participant's kind",
    ),
    Rule(
        "PUT",
        "/api/v1/me/notification-preferences",
        expect(
            anonymous=401,
            owner=422,
            other_participant=422,
            assigned_coach=200,
            unassigned_coach=200,
            admin=422,
        ),
        json={"assessment_submitted": False},
        name="a coach's kind",
    ),
    Rule("GET", "/account/notifications", signed_in(200, anonymous=303)),
    Rule("POST", "/account/notifications", signed_in(303, anonymous=303), form={}),
]
