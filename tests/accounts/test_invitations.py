"""Invitations: single-use, expiring links where invited people set their password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.accounts import invitations
from app.accounts.credentials import hash_secret
from app.accounts.models import Invitation, Role, User
from app.core.exceptions import Conflict
from app.core.timeutils import utcnow
from tests.fixtures.factories import PASSWORD, csrf_from_page

Headers = Callable[[User], dict[str, str]]
NEW_PASSWORD = "a-brand-new-password"


def _invite(
    client: TestClient, headers: dict[str, str], email: str = "Newbie@Example.test"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/invitations",
        json={"email": email, "roles": ["participant", "coach"], "display_name": "New Bie"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _secret(invitation: dict[str, Any]) -> str:
    return str(invitation["url"]).rsplit("/", 1)[1]


def _invitation_page(
    client: TestClient, session: Session, email: str
) -> tuple[invitations.IssuedInvitation, Response]:
    """A participant invited by the service (committed), and the page their link opens."""
    issued = invitations.invite_user(
        session=session, email=email, roles={Role.participant}, ttl=timedelta(hours=1)
    )
    session.commit()
    return issued, client.get(issued.path)


def test_admin_invites_and_the_person_sets_a_password(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    invitation = _invite(client, auth_headers(admin))
    assert invitation["url"].startswith("http://testserver/invitations/")
    assert invitation["user"]["email"] == "newbie@example.test"
    assert invitation["user"]["roles"] == ["coach", "participant"]
    secret = _secret(invitation)

    # Before accepting, nobody can sign in to the account.
    no_login = client.post(
        "/api/v1/auth/token", data={"username": "newbie@example.test", "password": NEW_PASSWORD}
    )
    assert no_login.status_code == 401

    accepted = client.post(f"/api/v1/invitations/{secret}/accept", json={"password": NEW_PASSWORD})
    assert accepted.status_code == 200
    assert accepted.json()["email"] == "newbie@example.test"
    token = client.post(
        "/api/v1/auth/token", data={"username": "newbie@example.test", "password": NEW_PASSWORD}
    )
    assert token.status_code == 200


def test_an_invitation_works_only_once(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    secret = _secret(_invite(client, auth_headers(admin)))
    url = f"/api/v1/invitations/{secret}/accept"
    assert client.post(url, json={"password": NEW_PASSWORD}).status_code == 200
    reused = client.post(url, json={"password": "attacker-password"})
    assert reused.status_code == 404
    assert reused.json()["detail"] == invitations.INVALID_LINK
    assert client.get(f"/invitations/{secret}").status_code == 404


def test_an_expired_invitation_is_refused(
    client: TestClient, admin: User, auth_headers: Headers, session: Session
) -> None:
    secret = _secret(_invite(client, auth_headers(admin)))
    row = session.exec(
        select(Invitation).where(Invitation.secret_hash == hash_secret(secret))
    ).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    response = client.post(f"/api/v1/invitations/{secret}/accept", json={"password": NEW_PASSWORD})
    assert response.status_code == 404
    assert client.get(f"/invitations/{secret}").status_code == 404


def test_unknown_links_look_like_used_ones(client: TestClient) -> None:
    response = client.post("/api/v1/invitations/nope/accept", json={"password": NEW_PASSWORD})
    assert response.status_code == 404
    assert response.json()["detail"] == invitations.INVALID_LINK


def test_a_too_short_password_is_explained_and_the_link_stays_usable(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    secret = _secret(_invite(client, auth_headers(admin)))
    url = f"/api/v1/invitations/{secret}/accept"
    short = client.post(url, json={"password": "short"})
    assert short.status_code == 422
    assert {k: v for k, v in short.json().items() if k in ("detail", "errors")} == {
        "detail": "Password must be at least 10 characters long.",
        "errors": [
            {
                "loc": ["body", "password"],
                "msg": "Password must be at least 10 characters long.",
                "type": "value_error",
            }
        ],
    }
    assert client.post(url, json={"password": NEW_PASSWORD}).status_code == 200


def test_only_the_hash_of_the_link_is_stored(
    client: TestClient, admin: User, auth_headers: Headers, session: Session
) -> None:
    secret = _secret(_invite(client, auth_headers(admin)))
    stored = session.exec(select(Invitation.secret_hash)).all()
    assert secret not in stored and hash_secret(secret) in stored


def test_reinviting_a_pending_person_replaces_the_link(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    headers = auth_headers(admin)
    first = _secret(_invite(client, headers))
    second = _secret(_invite(client, headers, email="newbie@example.test"))
    assert first != second
    old = client.post(f"/api/v1/invitations/{first}/accept", json={"password": NEW_PASSWORD})
    assert old.status_code == 404
    new = client.post(f"/api/v1/invitations/{second}/accept", json={"password": NEW_PASSWORD})
    assert new.status_code == 200


def test_inviting_someone_who_has_an_account_is_a_conflict(
    client: TestClient, admin: User, participant: User, auth_headers: Headers
) -> None:
    response = client.post(
        "/api/v1/invitations",
        json={"email": participant.email.upper(), "roles": ["participant"]},
        headers=auth_headers(admin),
    )
    assert response.status_code == 409


def test_accepting_through_the_page_signs_the_person_in(
    client: TestClient, session: Session
) -> None:
    issued, page = _invitation_page(client, session, "pat@example.test")
    assert page.status_code == 200
    assert "pat@example.test" in page.text
    form = {
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
        "display_name": "Pat Doe",
        "csrf_token": csrf_from_page(page.text),
    }
    done = client.post(issued.path, data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["display_name"] == "Pat Doe"
    assert client.post(issued.path, data=form, follow_redirects=False).status_code == 404


def test_the_page_checks_csrf_and_the_repeated_password(
    client: TestClient, session: Session
) -> None:
    issued, page = _invitation_page(client, session, "sam@example.test")
    token = csrf_from_page(page.text)
    base = {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    assert client.post(issued.path, data=base).status_code == 403
    mismatch = client.post(
        issued.path, data={**base, "password_confirmation": "something-else", "csrf_token": token}
    )
    assert mismatch.status_code == 422 and "do not match" in mismatch.text
    short = client.post(
        issued.path,
        data={"password": "short", "password_confirmation": "short", "csrf_token": token},
    )
    assert short.status_code == 422 and "at least 10 characters" in short.text
    ok = client.post(issued.path, data={**base, "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303


def test_an_invitation_cannot_take_over_an_existing_account(
    session: Session, participant: User
) -> None:
    with pytest.raises(Conflict):
        invitations.invite_user(
            session=session, email=participant.email, roles={Role.admin}, ttl=timedelta(hours=1)
        )
    assert participant.password_hash is not None
    assert participant.role_set == {Role.participant}


def test_password_is_hashed_with_argon2id(client: TestClient, session: Session) -> None:
    issued = invitations.invite_user(
        session=session, email="h@example.test", roles={Role.participant}, ttl=timedelta(hours=1)
    )
    user = invitations.accept_invitation(
        session=session, secret=issued.secret, password=PASSWORD, password_min_length=10
    )
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_deactivating_an_invited_person_retires_their_link(
    client: TestClient, admin: User, auth_headers: Headers
) -> None:
    """Reactivating them later does not revive the old link; a new invitation is needed."""
    headers = auth_headers(admin)
    invitation = _invite(client, headers)
    url = f"/api/v1/users/{invitation['user']['id']}"
    assert client.patch(url, json={"is_active": False}, headers=headers).status_code == 200
    assert client.patch(url, json={"is_active": True}, headers=headers).status_code == 200
    accept = client.post(
        f"/api/v1/invitations/{_secret(invitation)}/accept", json={"password": NEW_PASSWORD}
    )
    assert accept.status_code == 404
