"""Authorization rules: cohorts and cycles (admins), cycle progress (admins and the
members' programme coaches, each seeing only their own members)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core.timeutils import utcnow
from app.programmes import cohorts, cycles
from tests.authz.matrix import Rule, World, admin_only, coach_admin


def prepare(world: World, session: Session) -> dict[str, Any]:
    """A cohort with the owner as its member, coached by the assigned coach; a draft
    cycle and an open one."""
    cohort = cohorts.create_cohort(session=session, actor=world.admin, name="authz")
    assert cohort.id is not None and world.owner.id is not None
    cohorts.add_member(
        session=session,
        actor=world.admin,
        cohort_id=cohort.id,
        user_id=world.owner.id,
        coach_id=world.assigned_coach.id,
    )
    now = utcnow()

    def cycle(name: str) -> int:
        made = cycles.create_cycle(
            session=session,
            actor=world.admin,
            cohort_id=cohort.id or 0,
            name=name,
            rubric_id="mini",
            rubric_version=None,
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=15),
        )
        assert made.id is not None
        return made.id

    draft, opened = cycle("draft"), cycle("open")
    cycles.open_cycle(session=session, actor=world.admin, cycle_id=opened, now=now)
    return {
        "cohort_id": cohort.id,
        "cycle_id": draft,
        "open_cycle_id": opened,
        "user_id": world.other_participant.id,
        "member_id": world.owner.id,
    }


API = "/api/v1"
COHORT = f"{API}/cohorts/{{cohort_id}}"
CYCLE = f"{API}/cycles/{{cycle_id}}"


def _new_cycle(ctx: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {
        "name": "new",
        "cohort_id": ctx["cohort_id"],
        "rubric_id": "mini",
        "opens_at": (now + timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=8)).isoformat(),
    }


RULES: list[Rule] = [
    Rule("GET", f"{API}/cohorts", admin_only(200)),
    Rule("POST", f"{API}/cohorts", admin_only(201), json={"name": "new"}),
    Rule("GET", COHORT, admin_only(200)),
    Rule("PATCH", COHORT, admin_only(200), json={"name": "renamed", "version": 1}),
    # The world's cohort has an opened cycle: it is kept (409); an empty one goes (test_api).
    Rule("DELETE", COHORT, admin_only(409)),
    Rule("GET", f"{COHORT}/members", admin_only(200)),
    Rule("PUT", f"{COHORT}/members/{{user_id}}", admin_only(200), json={}),
    Rule(
        "DELETE",
        f"{COHORT}/members/{{user_id}}",
        admin_only(204),
        params=lambda ctx: {"cohort_id": ctx["cohort_id"], "user_id": ctx["member_id"]},
    ),
    Rule(
        "POST",
        f"{COHORT}/members/import",
        admin_only(200),
        json=lambda ctx: {"csv": f"email,name,coach\n{ctx['other_participant_email']},,\n"},
    ),
    Rule("GET", f"{API}/cycles", admin_only(200)),
    Rule("POST", f"{API}/cycles", admin_only(201), json=_new_cycle),
    Rule("GET", CYCLE, admin_only(200)),
    Rule("POST", f"{CYCLE}/open", admin_only(200)),
    Rule(
        "POST",
        f"{CYCLE}/close",
        admin_only(200),
        params=lambda ctx: {"cycle_id": ctx["open_cycle_id"]},
    ),
    Rule(
        "GET",
        f"{CYCLE}/progress",
        coach_admin(200),
        params=lambda ctx: {"cycle_id": ctx["open_cycle_id"]},
    ),
]

PAGE = "/admin/cohorts/{cohort_id:id}"
page_admin = admin_only(200, anonymous=303)
page_post = admin_only(303, anonymous=303)


def _page_cycle(ctx: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {
        "name": "page cycle",
        "rubric_id": "mini",
        "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
    }


RULES += [
    Rule("GET", "/admin/cohorts", page_admin),
    Rule("POST", "/admin/cohorts", page_post, form={"name": "page cohort"}),
    Rule("GET", PAGE, page_admin),
    Rule("POST", f"{PAGE}/rename", page_post, form={"name": "renamed", "version": "1"}),
    Rule("GET", f"{PAGE}/delete", page_admin),
    Rule("POST", f"{PAGE}/delete", admin_only(409, anonymous=303), form={"version": "1"}),
    Rule(
        "POST",
        f"{PAGE}/members",
        page_post,
        form=lambda ctx: {"email": ctx["other_participant_email"]},
    ),
    Rule(
        "POST",
        f"{PAGE}/members/{{user_id:id}}/remove",
        page_post,
        params=lambda ctx: {"cohort_id": ctx["cohort_id"], "user_id": ctx["member_id"]},
    ),
    # Without a file the preview answers the located "empty file" error.
    Rule("POST", f"{PAGE}/import", admin_only(422, anonymous=303)),
    Rule(
        "POST",
        f"{PAGE}/import/confirm",
        page_post,
        form=lambda ctx: {"csv_text": f"email\n{ctx['other_participant_email']}\n"},
    ),
    Rule("POST", f"{PAGE}/cycles", page_post, form=_page_cycle),
    Rule("GET", "/admin/cycles", page_admin),
    Rule("POST", "/admin/cycles/{cycle_id:id}/open", page_post),
    Rule(
        "POST",
        "/admin/cycles/{cycle_id:id}/close",
        page_post,
        params=lambda ctx: {"cycle_id": ctx["open_cycle_id"]},
    ),
    Rule(
        "GET",
        "/cycles/{cycle_id:id}",
        coach_admin(200, anonymous=303),
        params=lambda ctx: {"cycle_id": ctx["open_cycle_id"]},
    ),
]
