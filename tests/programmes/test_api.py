"""The programmes API: pages with Link headers, versioned cohorts, the CSV dry run, cycles."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from app.accounts.models import Invitation, Role, User
from app.accounts.service import get_user_by_email
from app.mail.models import MailMessage
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.programmes.conftest import T0, Programme

ApiFor = Callable[[User], Api]


def test_cohort_lists_page_with_a_link_header(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    api = api_for(make_user(Role.admin))
    for name in ["Gamma", "Alpha", "Beta"]:
        api.ok("POST", "/cohorts", 201, json={"name": name})
    first = api.call("GET", "/cohorts", params={"limit": 2})
    assert first.status_code == 200
    body = first.json()
    assert [c["name"] for c in body["items"]] == ["Alpha", "Beta"]
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "limit=2" in link
    url = link[1 : link.index(">")]
    rest = api.client.get(url, headers=api.headers)
    assert [c["name"] for c in rest.json()["items"]] == ["Gamma"]
    assert "Link" not in rest.headers and rest.json()["next_cursor"] is None
    bad = api.call("GET", "/cohorts", params={"after": "made-up"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "after"]
    assert "made-up" not in bad.text


def test_a_stale_rename_is_a_conflict(api_for: ApiFor, make_user: UserFactory) -> None:
    api = api_for(make_user(Role.admin))
    cohort = api.ok("POST", "/cohorts", 201, json={"name": "PO guild"})
    path = f"/cohorts/{cohort['id']}"
    api.ok("PATCH", path, json={"name": "PO guild — Berlin", "version": 1})
    stale = api.call("PATCH", path, json={"name": "Other", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "PO guild — Berlin"


def test_members_with_a_coach_the_coach_can_then_see(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    admin, coach, person = make_user(Role.admin), make_user(Role.coach), make_user()
    api = api_for(admin)
    cohort = api.ok("POST", "/cohorts", 201, json={"name": "c"})
    member = api.ok(
        "PUT", f"/cohorts/{cohort['id']}/members/{person.id}", json={"coach_id": coach.id}
    )
    assert member["coach"]["id"] == coach.id
    from app.accounts import policy

    assert policy.is_assigned_coach(session=session, user=coach, participant_id=person.id or 0)
    not_a_coach = api.call(
        "PUT", f"/cohorts/{cohort['id']}/members/{person.id}", json={"coach_id": person.id}
    )
    assert not_a_coach.status_code == 422
    assert not_a_coach.json()["errors"][0]["loc"] == ["body", "coach_id"]
    listed = api.ok("GET", f"/cohorts/{cohort['id']}/members")
    assert [m["user"]["id"] for m in listed["items"]] == [person.id]
    api.ok("DELETE", f"/cohorts/{cohort['id']}/members/{person.id}", 204)
    assert not policy.is_assigned_coach(session=session, user=coach, participant_id=person.id or 0)


def test_the_csv_import_previews_then_applies(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    admin, coach, existing = make_user(Role.admin), make_user(Role.coach), make_user()
    api = api_for(admin)
    cohort = api.ok("POST", "/cohorts", 201, json={"name": "c"})
    path = f"/cohorts/{cohort['id']}/members/import"
    good = (
        f"email,name,coach\nnew.person@example.test,New Person,{coach.email}\n{existing.email},,\n"
    )
    bad = good + "not-an-email,Someone,\nsecond@example.test,X,nobody@example.test\n"

    preview = api.ok("POST", path, json={"csv": bad})
    assert preview["confirmed"] is False
    assert [(e["loc"], e["msg"]) for e in preview["errors"]] == [
        (["csv", 4, "email"], "is not an email address"),
        (["csv", 5, "coach"], "is not the email of a coach"),
    ]
    assert "not-an-email" not in str(preview["errors"])
    assert "nobody@example.test" not in str(preview["errors"])
    assert get_user_by_email(session=session, email="new.person@example.test") is None

    refused = api.call("POST", path, json={"csv": bad, "confirm": True})
    assert refused.status_code == 422 and len(refused.json()["errors"]) == 2
    assert get_user_by_email(session=session, email="new.person@example.test") is None

    dry = api.ok("POST", path, json={"csv": good})
    assert (dry["invited"], dry["added"], dry["coach_assignments"]) == (1, 1, 1)
    done = api.ok("POST", path, json={"csv": good, "confirm": True})
    assert done["confirmed"] is True
    invited = get_user_by_email(session=session, email="new.person@example.test")
    assert invited is not None and invited.display_name == "New Person"
    assert session.exec(select(Invitation).where(col(Invitation.user_id) == invited.id)).first()
    assert session.exec(
        select(MailMessage).where(
            col(MailMessage.kind) == "invitation",
            col(MailMessage.to_address) == "new.person@example.test",
        )
    ).first()
    listed = api.ok("GET", f"/cohorts/{cohort['id']}/members")
    assert {m["user"]["email"] for m in listed["items"]} == {
        "new.person@example.test",
        existing.email,
    }
    again = api.ok("POST", path, json={"csv": good})
    assert (again["invited"], again["added"]) == (0, 0)  # re-importing changes nothing


def test_a_bad_header_is_one_located_error(api_for: ApiFor, make_user: UserFactory) -> None:
    api = api_for(make_user(Role.admin))
    cohort = api.ok("POST", "/cohorts", 201, json={"name": "c"})
    answer = api.call(
        "POST", f"/cohorts/{cohort['id']}/members/import", json={"csv": "mail,who\nx,y\n"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["csv"]


def test_cycle_api_open_and_progress(api_for: ApiFor, programme: Programme) -> None:
    admin = api_for(programme.admin)
    cycle = admin.ok("POST", f"/cycles/{programme.cycle.id}/open")
    assert cycle["status"] == "open"
    assert admin.call("POST", f"/cycles/{programme.cycle.id}/open").status_code == 409
    board = admin.ok("GET", f"/cycles/{programme.cycle.id}/progress", params={"limit": 2})
    assert len(board["items"]) == 2 and board["next_cursor"]
    invited = admin.ok(
        "GET",
        f"/cycles/{programme.cycle.id}/progress",
        params={"stage": "invited", "coach_id": programme.coach_b.id},
    )
    assert [r["user"]["id"] for r in invited["items"]] == [programme.members[2].id]
    coach = api_for(programme.coach_a)
    mine = coach.ok("GET", f"/cycles/{programme.cycle.id}/progress")
    assert {r["user"]["id"] for r in mine["items"]} == {
        programme.members[0].id,
        programme.members[1].id,
    }
    created = admin.ok(
        "POST",
        "/cycles",
        201,
        json={
            "name": "Autumn",
            "cohort_id": programme.cohort.id,
            "rubric_id": "mini",
            "opens_at": T0.isoformat(),
            "closes_at": T0.replace(month=4).isoformat(),
            "accept_late": True,
        },
    )
    assert created["status"] == "draft" and created["accept_late"] is True
    listed = admin.ok("GET", "/cycles", params={"cohort_id": programme.cohort.id})
    assert {c["id"] for c in listed["items"]} == {created["id"], programme.cycle.id}
