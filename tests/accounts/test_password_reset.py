"""Forgot password: the same answer for every address, a single-use expiring link, throttled."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.accounts import password_reset, service
from app.accounts.credentials import hash_secret
from app.accounts.models import User, WebSession
from app.accounts.password_reset_models import PasswordReset
from app.core.timeutils import utcnow
from app.jobs import service as jobs
from app.mail.models import MailMessage
from tests.fixtures.factories import PASSWORD, BrowserSession, csrf_from_page

NEW_PASSWORD = "a-brand-new-password"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/reset-password/[A-Za-z0-9_-]+)")


def ask(client: TestClient, email: str) -> tuple[int, str]:
    page = client.get("/forgot-password")
    assert page.status_code == 200
    response = client.post(
        "/forgot-password", data={"email": email, "csrf_token": csrf_from_page(page.text)}
    )
    return response.status_code, response.text


def mails_to(session: Session, email: str) -> list[MailMessage]:
    return list(session.exec(select(MailMessage).where(col(MailMessage.to_address) == email)).all())


def reset_link(session: Session, email: str) -> str:
    (mail,) = mails_to(session, email)
    assert mail.subject == password_reset.SUBJECT and mail.text_body is not None
    match = LINK.search(mail.text_body)
    assert match, mail.text_body
    return match.group(1)


def test_the_login_page_links_to_forgot_password(client: TestClient) -> None:
    page = client.get("/login")
    assert 'href="/forgot-password"' in page.text
    assert "Forgot password?" in page.text


def test_known_and_unknown_addresses_get_the_same_answer_only_known_get_mail(
    client: TestClient, session: Session, participant: User
) -> None:
    known_status, known_page = ask(client, participant.email.upper())
    unknown_status, unknown_page = ask(client, "nobody@example.test")
    assert known_status == unknown_status == 200
    assert password_reset.REQUESTED in known_page and password_reset.REQUESTED in unknown_page
    assert mails_to(session, "nobody@example.test") == []
    (mail,) = mails_to(session, participant.email)
    # The mail is queued as a job in the same transaction; the job carries only the id.
    (job,) = [j for j in jobs.list_jobs(session=session) if j.task == "mail.send"]
    assert json.loads(job.args) == {"message_id": mail.id}
    # Only the hash of the link's secret is stored.
    secret = reset_link(session, participant.email).rsplit("/", 1)[1]
    stored = session.exec(select(PasswordReset)).one()
    assert stored.secret_hash == hash_secret(secret) and secret not in stored.secret_hash


def test_the_link_sets_a_new_password_once_and_signs_out_elsewhere(
    client: TestClient,
    session: Session,
    participant: User,
    browser_session: object,
) -> None:
    assert callable(browser_session)
    elsewhere: BrowserSession = browser_session(participant)
    ask(client, participant.email)
    path = reset_link(session, participant.email)
    form = client.get(path)
    assert form.status_code == 200 and participant.email in form.text
    token = csrf_from_page(form.text)
    mismatch = client.post(
        path,
        data={"password": NEW_PASSWORD, "password_confirmation": "other", "csrf_token": token},
    )
    assert mismatch.status_code == 422 and "do not match" in mismatch.text
    done = client.post(
        path,
        data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert service.authenticate(session=session, email=participant.email, password=NEW_PASSWORD)
    assert not service.authenticate(session=session, email=participant.email, password=PASSWORD)
    gone = session.exec(
        select(WebSession).where(col(WebSession.session_hash) == hash_secret(elsewhere.secret))
    ).first()
    assert gone is None  # the other browser is signed out
    # Single use.
    assert client.get(path).status_code == 404
    again = client.post(
        path,
        data={"password": "x" * 12, "password_confirmation": "x" * 12, "csrf_token": token},
    )
    assert again.status_code == 404


def test_an_expired_or_superseded_link_is_refused(
    client: TestClient, session: Session, participant: User
) -> None:
    ask(client, participant.email)
    first = reset_link(session, participant.email)
    session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert client.get(first).status_code == 404
    assert client.get("/reset-password/not-a-real-secret").status_code == 404


def test_a_newer_link_retires_the_older_one(
    client: TestClient, session: Session, participant: User
) -> None:
    ask(client, participant.email)
    ask(client, participant.email)
    links = [LINK.search(m.text_body or "") for m in mails_to(session, participant.email)]
    first, second = (m.group(1) for m in links if m)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_requests_are_throttled_alike_for_known_and_unknown_addresses(
    client: TestClient, session: Session, participant: User
) -> None:
    for email in (participant.email, "nobody@example.test"):
        statuses = [ask(client, email)[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429], email
    assert len(mails_to(session, participant.email)) == 3


def test_a_bad_address_is_a_located_error_without_echo(client: TestClient) -> None:
    status, page = ask(client, "")
    assert status == 422 and "Enter your email address." in page


def test_a_deactivated_account_gets_no_mail(
    client: TestClient, session: Session, participant: User
) -> None:
    participant.is_active = False
    session.add(participant)
    session.commit()
    status, page = ask(client, participant.email)
    assert status == 200 and password_reset.REQUESTED in page
    assert mails_to(session, participant.email) == []
