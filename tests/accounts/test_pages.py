"""The account pages: home redirect by role, the admin pages, escaping."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import service
from app.accounts.models import CoachAssignment, Role, User

Login = Callable[..., str]


@pytest.mark.parametrize(
    ("roles", "home"),
    [
        (("participant",), "/assessments"),
        (("coach",), "/coaching"),
        (("admin",), "/admin"),
        (("coach", "participant"), "/assessments"),
        (("admin", "coach"), "/coaching"),
    ],
)
def test_home_sends_each_role_to_its_start_page(
    client: TestClient, make_user: Callable[..., User], login: Login, roles: tuple[str], home: str
) -> None:
    login(client, make_user(*roles))
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == home


def test_navigation_depends_on_roles(
    client: TestClient, make_user: Callable[..., User], login: Login
) -> None:
    login(client, make_user(Role.admin, Role.coach))
    page = client.get("/admin").text
    assert 'href="/coaching"' in page and 'href="/admin"' in page
    assert 'action="/logout"' in page


def test_invite_page_shows_the_link_once(client: TestClient, admin: User, login: Login) -> None:
    token = login(client, admin)
    form = client.get("/admin/users/new")
    assert form.status_code == 200 and 'name="roles"' in form.text
    created = client.post(
        "/admin/users/new",
        data={"email": "Ivy@Example.test", "roles": ["coach"], "csrf_token": token},
    )
    assert created.status_code == 200
    link = re.search(r'value="(http://testserver/invitations/[^"]+)"', created.text)
    assert link, created.text
    assert "ivy@example.test" in created.text
    # The link works.
    assert client.get(link.group(1).removeprefix("http://testserver")).status_code == 200
    # It is not shown anywhere afterwards.
    assert link.group(1) not in client.get("/admin").text


def test_invite_form_errors_are_shown_with_the_input_kept(
    client: TestClient, admin: User, participant: User, login: Login
) -> None:
    token = login(client, admin)
    no_role = client.post(
        "/admin/users/new", data={"email": "kim@example.test", "csrf_token": token}
    )
    assert no_role.status_code == 422
    assert "A user needs a role" in no_role.text
    assert 'value="kim@example.test"' in no_role.text
    taken = client.post(
        "/admin/users/new",
        data={"email": participant.email, "roles": ["participant"], "csrf_token": token},
    )
    assert taken.status_code == 409 and "already exists" in taken.text
    bad_role = client.post(
        "/admin/users/new",
        data={"email": "kim@example.test", "roles": ["boss"], "csrf_token": token},
    )
    assert bad_role.status_code == 422 and "Unknown role" in bad_role.text


def test_assignments_page_assigns_and_unassigns(
    client: TestClient,
    admin: User,
    participant: User,
    make_user: Callable[..., User],
    login: Login,
    session: Session,
) -> None:
    coach = make_user(Role.coach)
    token = login(client, admin)
    page = client.get("/admin/assignments")
    assert f'<option value="{coach.id}">' in page.text
    form = {"coach_id": coach.id, "participant_id": participant.id, "csrf_token": token}
    done = client.post(
        "/admin/assignments", data={**form, "action": "assign"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/assignments?done=assigned"
    assert session.get(CoachAssignment, (coach.id, participant.id)) is not None
    assert "Coach assigned." in client.get(done.headers["location"]).text

    undone = client.post("/admin/assignments", data={**form, "action": "unassign"})
    assert undone.status_code == 200 and "Assignment removed." in undone.text
    assert session.get(CoachAssignment, (coach.id, participant.id)) is None


def test_assignment_form_errors_rerender_the_page(
    client: TestClient, admin: User, participant: User, login: Login
) -> None:
    token = login(client, admin)
    response = client.post(
        "/admin/assignments",
        data={
            "action": "assign",
            "coach_id": participant.id,
            "participant_id": participant.id,
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "Choose a coach and a participant" in response.text


def test_flash_codes_never_echo_the_url(client: TestClient, admin: User, login: Login) -> None:
    login(client, admin)
    page = client.get("/admin/assignments?done=<script>alert(1)</script>")
    assert page.status_code == 200
    assert "alert(1)" not in page.text


def test_user_text_is_escaped(
    client: TestClient, admin: User, login: Login, session: Session, participant: User
) -> None:
    service.update_user(session=session, user=participant, display_name="<script>x()</script>")
    session.commit()
    login(client, admin)
    page = client.get("/admin").text
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_pages_have_no_inline_scripts_or_styles(
    client: TestClient, admin: User, login: Login
) -> None:
    pages = [client.get("/login").text]
    login(client, admin)
    pages += [client.get(p).text for p in ("/admin", "/admin/users/new", "/admin/assignments")]
    for html in pages:
        assert html.startswith("<!doctype html>") or "<!doctype html>" in html[:400]
        assert '<html lang="en">' in html
        assert 'style="' not in html
        # The scripts' strings are data, not code: a JSON block the CSP never runs.
        data_block = '<script type="application/json" id="i18n">'
        assert html.count(data_block) == 1
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html.replace(data_block, "")) is None
