"""Inviting someone emails them the link (queued in the same transaction).

The admin still sees the link once, as a fallback.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.accounts.notifications import INVITATION_SUBJECT
from app.mail.models import MailMessage

Headers = Callable[[User], dict[str, str]]


def test_an_invitation_is_mailed_and_still_shown_once(
    client: TestClient, session: Session, admin: User, auth_headers: Headers
) -> None:
    response = client.post(
        "/api/v1/invitations",
        json={"email": "Mailed@Example.test", "roles": ["participant"], "display_name": "Mae"},
        headers=auth_headers(admin),
    )
    assert response.status_code == 201, response.text
    path = "/invitations/" + response.json()["url"].rsplit("/", 1)[1]
    (mail,) = session.exec(
        select(MailMessage).where(col(MailMessage.to_address) == "mailed@example.test")
    ).all()
    assert mail.subject == INVITATION_SUBJECT and mail.kind == "invitation"
    assert mail.text_body is not None and f"http://127.0.0.1:8000{path}" in mail.text_body
    assert "Hello Mae," in mail.text_body and admin.display_name in mail.text_body
    assert client.get(path).status_code == 200


def test_a_refused_invitation_queues_no_mail(
    client: TestClient, session: Session, admin: User, participant: User, auth_headers: Headers
) -> None:
    # The person already has a password: 409, and the request's transaction rolls back.
    response = client.post(
        "/api/v1/invitations",
        json={"email": participant.email, "roles": ["coach"]},
        headers=auth_headers(admin),
    )
    assert response.status_code == 409
    assert session.exec(select(MailMessage)).all() == []
