"""The admin pages of jobs and mail: what an admin sees, and the retry and forget buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.jobs import service
from app.mail.models import UndeliverableAddress
from app.mail.outbox import queue_mail
from tests.fixtures.factories import csrf_from_page
from tests.fixtures.failed_jobs import add_failed_job

Login = Callable[..., str]


def test_the_jobs_page_lists_a_failed_job_and_retries_it(
    client: TestClient, session: Session, admin: User, login: Login
) -> None:
    job_id = add_failed_job(session)
    session.commit()
    login(client, admin)
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    assert f"/admin/jobs/{job_id}/retry" in page.text and "jobs.prune" in page.text
    done = client.post(
        f"/admin/jobs/{job_id}/retry",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/admin/jobs?done=retried"
    assert [j.status for j in service.list_jobs(session=session) if j.id == job_id] == ["queued"]
    assert "The job is queued again." in client.get(done.headers["location"]).text
    # A second retry of a job that is no longer failed: 409, nothing changes.
    again = client.post(
        f"/admin/jobs/{job_id}/retry", data={"csrf_token": csrf_from_page(page.text)}
    )
    assert again.status_code == 409


def test_the_mail_page_shows_the_outbox_and_undeliverable_addresses(
    client: TestClient, session: Session, admin: User, login: Login
) -> None:
    message = queue_mail(
        session=session,
        to="pat@example.test",
        kind="invitation",
        subject="You are invited to Stepwise",
        context={"name": "<Pat>", "inviter": None, "link": "http://x.test/i/abc", "hours": 1},
    )
    gone = UndeliverableAddress(address="gone@example.test", reason="550 No such mailbox")
    session.add(gone)
    session.commit()
    login(client, admin)
    page = client.get("/admin/mail")
    assert "No SMTP server is configured" in page.text
    assert "pat@example.test" in page.text and f"/admin/mail/{message.id}" in page.text
    assert "gone@example.test" in page.text and "550 No such mailbox" in page.text
    shown = client.get(f"/admin/mail/{message.id}")
    assert "Hello &lt;Pat&gt;," in shown.text and "http://x.test/i/abc" in shown.text
    assert client.get("/admin/mail/999999").status_code == 404
    forgot = client.post(
        f"/admin/mail/undeliverable/{gone.id}/forget",
        data={"csrf_token": csrf_from_page(page.text)},
        follow_redirects=False,
    )
    assert forgot.status_code == 303
    assert "gone@example.test" not in client.get("/admin/mail").text


def test_the_outbox_never_shows_a_feedback_raters_link(
    client: TestClient, session: Session, admin: User, login: Login
) -> None:
    """A rater's link opens their anonymous answers: not even an admin reads it in the outbox."""
    message = queue_mail(
        session=session,
        to="rater@example.test",
        kind="feedback_invitation",
        subject="Pat asks for your feedback",
        context={
            "participant": "Pat",
            "message": "",
            "due": date(2026, 12, 24),
            "expires": date(2026, 12, 31),
            "link": "http://x.test/feedback/SECRET-LINK",
        },
    )
    session.commit()
    assert message.text_body is not None and "SECRET-LINK" in message.text_body  # kept to send
    login(client, admin)
    shown = client.get(f"/admin/mail/{message.id}")
    assert shown.status_code == 200
    assert "SECRET-LINK" not in shown.text and 'id="message-private"' in shown.text
