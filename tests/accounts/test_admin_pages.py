"""Admin pages for one person: roles, deactivate/reactivate, a new invitation link (no JS)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from app.accounts import invitations
from app.accounts.models import Role, User
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser

BrowserFor = Callable[[User], Browser]


def test_the_people_table_links_every_person_and_labels_cells_for_phones(
    browser_for: BrowserFor, admin: User, participant: User
) -> None:
    page = browser_for(admin).get("/admin")
    assert page.status_code == 200
    assert f'<a href="/admin/users/{participant.id}">' in page.text
    assert 'class="table table-stack"' in page.text
    for label in ("Email", "Roles", "Status", "Coaches", "Coaching"):
        assert f'data-label="{label}"' in page.text


def test_an_admin_edits_roles(
    browser_for: BrowserFor, admin: User, participant: User, session: Session
) -> None:
    browser = browser_for(admin)
    saved = browser.post(
        f"/admin/users/{participant.id}/roles", [("roles", "participant"), ("roles", "coach")]
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/admin/users/{participant.id}?done=roles"
    session.refresh(participant)
    assert participant.role_set == {Role.participant, Role.coach}
    page = browser.get(saved.headers["location"])
    assert "Roles saved." in page.text
    assert re.search(r'value="coach" checked', page.text)


def test_role_edits_that_would_lock_out_are_refused_and_change_nothing(
    browser_for: BrowserFor, admin: User, participant: User, session: Session
) -> None:
    browser = browser_for(admin)
    none_left = browser.post(f"/admin/users/{participant.id}/roles", {})
    assert none_left.status_code == 422 and 'role="alert"' in none_left.text
    own = browser.post(f"/admin/users/{admin.id}/roles", {"roles": "coach"})
    assert own.status_code == 422 and "You cannot remove your own admin role" in own.text
    unknown = browser.post(f"/admin/users/{participant.id}/roles", {"roles": "owner<b>"})
    assert unknown.status_code == 422 and "owner<b>" not in unknown.text
    session.refresh(participant)
    session.refresh(admin)
    assert participant.role_set == {Role.participant} and Role.admin in admin.role_set


def test_deactivate_ends_sign_ins_and_reactivate_lets_them_back(
    browser_for: BrowserFor, admin: User, participant: User, session: Session
) -> None:
    theirs = browser_for(participant)
    assert theirs.get("/assessments").status_code == 200
    browser = browser_for(admin)
    off = browser.post(f"/admin/users/{participant.id}/status", {"active": "false"})
    assert off.status_code == 303 and off.headers["location"].endswith("?done=deactivated")
    session.refresh(participant)
    assert not participant.is_active
    assert theirs.get("/assessments").status_code == 303  # signed out everywhere
    page = browser.get(off.headers["location"])
    assert "Deactivated" in page.text and ">Reactivate</button>" in page.text
    on = browser.post(f"/admin/users/{participant.id}/status", {"active": "true"})
    assert on.status_code == 303 and on.headers["location"].endswith("?done=reactivated")
    session.refresh(participant)
    assert participant.is_active
    assert ">Deactivate</button>" in browser.get(on.headers["location"]).text


def test_an_admin_cannot_deactivate_themselves(
    browser_for: BrowserFor, admin: User, session: Session
) -> None:
    browser = browser_for(admin)
    page = browser.get(f"/admin/users/{admin.id}")
    assert "You cannot deactivate yourself" in page.text and ">Deactivate</button>" not in page.text
    refused = browser.post(f"/admin/users/{admin.id}/status", {"active": "false"})
    assert refused.status_code == 422
    session.refresh(admin)
    assert admin.is_active
    assert browser.post(f"/admin/users/{admin.id}/status", {"active": "maybe"}).status_code == 422


def test_a_new_invitation_link_replaces_the_old_one(
    browser_for: BrowserFor, admin: User, session: Session
) -> None:
    issued = invitations.invite_user(
        session=session,
        email="later@example.test",
        roles=frozenset({Role.participant}),
        ttl=timedelta(hours=1),
    )
    session.commit()
    browser = browser_for(admin)
    page = browser.get(f"/admin/users/{issued.user.id}")
    assert "Send a new invitation link" in page.text
    again = browser.post(f"/admin/users/{issued.user.id}/invitation", {})
    assert again.status_code == 200
    link = re.search(r'value="(http://testserver/invitations/[^"]+)"', again.text)
    assert link is not None and issued.secret not in link.group(1)
    assert browser.get(f"/invitations/{issued.secret}").status_code == 404
    assert browser.get(link.group(1).removeprefix("http://testserver")).status_code == 200


def test_someone_with_a_password_gets_no_invitation(
    browser_for: BrowserFor, admin: User, participant: User
) -> None:
    browser = browser_for(admin)
    assert "Send a new invitation link" not in browser.get(f"/admin/users/{participant.id}").text
    refused = browser.post(f"/admin/users/{participant.id}/invitation", {})
    assert refused.status_code == 409 and 'role="alert"' in refused.text


def test_person_pages_are_admin_only(
    browser_for: BrowserFor, coach: User, participant: User, make_user: UserFactory
) -> None:
    for user in (coach, participant):
        browser = browser_for(user)
        assert browser.get(f"/admin/users/{participant.id}").status_code == 404
        assert (
            browser.post(f"/admin/users/{participant.id}/status", {"active": "false"}).status_code
            == 404
        )
    assert browser_for(make_user(Role.admin)).get("/admin/users/999999").status_code == 404
