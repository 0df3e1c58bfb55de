"""Sending through a real SMTP server (aiosmtpd on a free port), by the real job runner."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.core.config import get_settings
from app.jobs import runner
from app.jobs.models import JobStatus
from app.mail.models import MailMessage, MailStatus, UndeliverableAddress
from app.mail.outbox import queue_mail
from tests.fixtures.jobs import jobs_in
from tests.fixtures.settings import changed_settings
from tests.fixtures.smtp import SmtpServer, free_port

STALE = timedelta(minutes=10)


def run(engine: Engine) -> int:
    return runner.run_until_idle(engine=engine, stale_after=STALE, periodic=False)


def queue_invitation(engine: Engine, to: str, name: str = "Ada <Lovelace>") -> int:
    with Session(engine) as session:
        message = queue_mail(
            session=session,
            to=to,
            kind="invitation",
            subject="You are invited to Stepwise",
            context={
                "name": name,
                "inviter": None,
                "link": "http://stepwise.test/invitations/s3cr3t?a=1&b=2",
                "hours": 72,
            },
        )
        session.commit()
        assert message.id is not None
        return message.id


def message(engine: Engine, message_id: int) -> MailMessage:
    with Session(engine) as session:
        row = session.get(MailMessage, message_id)
        assert row is not None
        return row


def test_a_message_arrives_multipart_and_its_body_is_not_kept(
    jobs_engine: Engine, smtp_settings: SmtpServer
) -> None:
    message_id = queue_invitation(jobs_engine, "ada@example.test")
    assert run(jobs_engine) == 1
    (received,) = smtp_settings.inbox.wait_for(1)
    assert received["To"] == "ada@example.test"
    assert received["Subject"] == "You are invited to Stepwise"
    assert received["From"] == "Stepwise <noreply@stepwise.test>"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    # Plain text is not HTML-escaped; the HTML part is.
    assert "Hello Ada <Lovelace>," in text.get_content()
    assert "http://stepwise.test/invitations/s3cr3t?a=1&b=2" in text.get_content()
    assert "Ada &lt;Lovelace&gt;" in html.get_content()
    assert 'href="http://stepwise.test/invitations/s3cr3t?a=1&amp;b=2"' in html.get_content()
    sent = message(jobs_engine, message_id)
    assert sent.status == MailStatus.sent and sent.attempts == 1
    assert sent.text_body is None and sent.html_body is None  # the link was a credential


def test_without_smtp_the_message_is_logged_and_kept_without_the_link_in_the_log(
    jobs_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    assert not get_settings().smtp_host
    message_id = queue_invitation(jobs_engine, "bo@example.test")
    with caplog.at_level("INFO"):
        assert run(jobs_engine) == 1
    kept = message(jobs_engine, message_id)
    assert kept.status == MailStatus.logged
    assert kept.text_body is not None and "s3cr3t" in kept.text_body
    assert "bo@example.test" in caplog.text
    assert "s3cr3t" not in caplog.text


def test_a_refused_address_is_recorded_and_later_mail_to_it_is_suppressed(
    jobs_engine: Engine, smtp_settings: SmtpServer
) -> None:
    smtp_settings.inbox.refuse.add("gone@example.test")
    first = queue_invitation(jobs_engine, "gone@example.test")
    assert run(jobs_engine) == 1
    refused = message(jobs_engine, first)
    assert refused.status == MailStatus.failed
    assert refused.last_error is not None and refused.last_error.startswith("550")
    with Session(jobs_engine) as session:
        (bad,) = session.exec(select(UndeliverableAddress)).all()
        assert bad.address == "gone@example.test" and "No such mailbox" in bad.reason
    # Not retried: the job is done.
    assert [job.status for job in jobs_in(jobs_engine)] == [JobStatus.succeeded]
    second = queue_invitation(jobs_engine, "gone@example.test")
    assert run(jobs_engine) == 1
    assert message(jobs_engine, second).status == MailStatus.suppressed
    assert smtp_settings.inbox.messages == []


def test_an_unreachable_server_is_retried_with_backoff(
    jobs_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with changed_settings(
        monkeypatch,
        STEPWISE_SMTP_HOST="127.0.0.1",
        STEPWISE_SMTP_PORT=str(free_port()),  # nobody listens there
        STEPWISE_SMTP_TLS="none",
    ):
        message_id = queue_invitation(jobs_engine, "cy@example.test")
        assert run(jobs_engine) == 1
    (job,) = jobs_in(jobs_engine)
    assert job.status == JobStatus.queued and job.attempts == 1
    assert job.last_error is not None and "ConnectionRefusedError" in job.last_error
    waiting = message(jobs_engine, message_id)
    assert waiting.status == MailStatus.queued and waiting.attempts == 1
    assert waiting.last_error is not None and re.search("Connection ?Refused", waiting.last_error)
