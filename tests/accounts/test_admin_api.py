"""The admin JSON API: people, roles, activation and coach assignments."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import CoachAssignment, User

Headers = Callable[[User], dict[str, str]]


def test_list_users_shows_roles_and_assignments(
    client: TestClient, admin: User, coach: User, participant: User, auth_headers: Headers
) -> None:
    users = client.get("/api/v1/users", headers=auth_headers(admin)).json()
    by_email = {u["email"]: u for u in users}
    assert by_email[coach.email]["participants"] == [
        {"id": participant.id, "email": participant.email, "display_name": participant.display_name}
    ]
    assert [c["id"] for c in by_email[participant.email]["coaches"]] == [coach.id]
    assert by_email[admin.email]["roles"] == ["admin"]
    assert by_email[admin.email]["pending"] is False


def test_get_user_detail(
    client: TestClient, admin: User, coach: User, participant: User, auth_headers: Headers
) -> None:
    detail = client.get(f"/api/v1/users/{participant.id}", headers=auth_headers(admin)).json()
    assert detail["email"] == participant.email and detail["is_active"] is True
    assert [c["email"] for c in detail["coaches"]] == [coach.email]
    missing = client.get("/api/v1/users/999999", headers=auth_headers(admin))
    assert missing.status_code == 404


def test_create_user_with_a_password(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    created = client.post(
        "/api/v1/users",
        json={
            "email": "Cleo@Example.test",
            "roles": ["coach", "participant"],
            "password": "a-long-enough-password",
        },
        headers=auth_headers(admin),
    )
    assert created.status_code == 201
    assert created.json()["invitation"] is None
    assert created.json()["user"]["email"] == "cleo@example.test"
    token = client.post(
        "/api/v1/auth/token",
        data={"username": "CLEO@example.test", "password": "a-long-enough-password"},
    )
    assert token.status_code == 200


def test_create_user_without_a_password_returns_an_invitation(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    created = client.post(
        "/api/v1/users",
        json={"email": "dan@example.test", "roles": ["participant"]},
        headers=auth_headers(admin),
    )
    assert created.status_code == 201
    assert created.json()["invitation"]["url"].startswith("http://testserver/invitations/")


def test_email_is_unique_case_insensitively(
    client: TestClient, admin: User, participant: User, auth_headers: Headers
) -> None:
    duplicate = client.post(
        "/api/v1/users",
        json={"email": participant.email.upper(), "roles": ["participant"], "password": "x" * 12},
        headers=auth_headers(admin),
    )
    assert duplicate.status_code == 409


def test_bad_input_is_located(client: TestClient, admin: User, auth_headers: Headers) -> None:
    headers = auth_headers(admin)
    bad_role = client.post(
        "/api/v1/users", json={"email": "e@example.test", "roles": ["boss"]}, headers=headers
    )
    assert bad_role.status_code == 422
    assert bad_role.json()["errors"][0]["loc"] == ["body", "roles", 0]
    short = client.post(
        "/api/v1/users",
        json={"email": "e@example.test", "roles": ["coach"], "password": "short"},
        headers=headers,
    )
    assert short.status_code == 422
    assert short.json()["detail"] == "Password must be at least 10 characters long."
    assert short.json()["errors"][0]["loc"] == ["body", "password"]
    no_email = client.post(
        "/api/v1/users", json={"email": "not-an-email", "roles": ["coach"]}, headers=headers
    )
    assert no_email.status_code == 422
    assert no_email.json()["errors"][0]["loc"] == ["body", "email"]


def test_change_roles_and_deactivate(
    client: TestClient, admin: User, participant: User, auth_headers: Headers
) -> None:
    headers = auth_headers(admin)
    url = f"/api/v1/users/{participant.id}"
    changed = client.patch(url, json={"roles": ["participant", "coach"]}, headers=headers)
    assert changed.status_code == 200 and changed.json()["roles"] == ["coach", "participant"]
    off = client.patch(url, json={"is_active": False}, headers=headers)
    assert off.json()["is_active"] is False
    login = client.post(
        "/api/v1/auth/token",
        data={"username": participant.email, "password": "correct-horse-battery"},
    )
    assert login.status_code == 401


def test_admins_cannot_lock_themselves_out(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    headers = auth_headers(admin)
    url = f"/api/v1/users/{admin.id}"
    demote = client.patch(url, json={"roles": ["coach"]}, headers=headers)
    assert demote.status_code == 422
    assert demote.json()["errors"][0]["loc"] == ["body", "roles"]
    deactivate = client.patch(url, json={"is_active": False}, headers=headers)
    assert deactivate.status_code == 422
    assert client.get("/api/v1/me", headers=headers).json()["roles"] == ["admin"]


def test_assign_and_unassign_a_coach(
    client: TestClient,
    admin: User,
    participant: User,
    make_user: Callable[..., User],
    auth_headers: Headers,
    session: Session,
) -> None:
    headers = auth_headers(admin)
    coach = make_user("coach")
    body = {"coach_id": coach.id, "participant_id": participant.id}
    created = client.post("/api/v1/coach-assignments", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json()["coach_id"] == coach.id
    again = client.post("/api/v1/coach-assignments", json=body, headers=headers)
    assert again.status_code == 201  # idempotent
    assert session.get(CoachAssignment, (coach.id, participant.id)) is not None

    assert (
        client.delete("/api/v1/coach-assignments", params=body, headers=headers).status_code == 204
    )
    assert session.get(CoachAssignment, (coach.id, participant.id)) is None
    gone = client.delete("/api/v1/coach-assignments", params=body, headers=headers)
    assert gone.status_code == 404


def test_assignments_need_a_coach_and_a_participant(
    client: TestClient, admin: User, participant: User, auth_headers: Headers
) -> None:
    response = client.post(
        "/api/v1/coach-assignments",
        json={"coach_id": participant.id, "participant_id": 999999},
        headers=auth_headers(admin),
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [
        ["body", "coach_id"],
        ["body", "participant_id"],
    ]


def test_password_hashes_never_appear_in_any_response(
    client: TestClient,
    admin: User,
    coach: User,
    participant: User,
    auth_headers: Headers,
    login: Callable[..., str],
) -> None:
    headers = auth_headers(admin)
    responses = [
        client.get("/api/v1/me", headers=headers),
        client.get("/api/v1/users", headers=headers),
        client.get(f"/api/v1/users/{participant.id}", headers=headers),
        client.patch(f"/api/v1/users/{coach.id}", json={"display_name": "C"}, headers=headers),
        client.post(
            "/api/v1/users",
            json={"email": "z@example.test", "roles": ["coach"], "password": "z" * 12},
            headers=headers,
        ),
        client.post(
            "/api/v1/invitations",
            json={"email": "y@example.test", "roles": ["coach"]},
            headers=headers,
        ),
        client.post(
            "/api/v1/auth/token",
            data={"username": admin.email, "password": "correct-horse-battery"},
        ),
    ]
    login(client, admin)
    responses += [client.get(p) for p in ("/admin", "/admin/users/new", "/admin/assignments")]
    assert len(responses) == 10
    for response in responses:
        assert response.status_code < 300, response.text
        assert "$argon2" not in response.text
        assert "password_hash" not in response.text
        assert "correct-horse-battery" not in response.text
