"""Through the real request unit of work: a failed request enqueues nothing.

Uses the app's own session dependency (not the test override), so the
commit and rollback are the ones production runs; on SQLite the job is a
``jobs`` row, on PostgreSQL a ``procrastinate_jobs`` row.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text
from sqlmodel import Session

from app.mail.models import MailMessage
from app.mail.outbox import queue_mail
from tests.fixtures.probe import (
    assert_kept_only_on_success,
    delete_jobs,
    probe_client,
    queued_jobs,
)

TO = "rollback-probe@example.test"


def _queue(session: Session) -> None:
    queue_mail(
        session=session,
        to=TO,
        kind="invitation",
        subject="probe",
        context={"name": "Probe", "inviter": None, "link": "http://x.test/i/1", "hours": 1},
    )


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        mails = conn.execute(
            text("SELECT count(*) FROM mail_messages WHERE to_address = :to"), {"to": TO}
        ).scalar_one()
    return int(mails), queued_jobs(engine)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with probe_client(_queue) as client:
        yield client
    with Session(engine) as session:  # the successful probe committed for real
        session.execute(delete(MailMessage).where(MailMessage.to_address == TO))  # type: ignore[arg-type]
        delete_jobs(session, engine, "mail.send")
        session.commit()


def test_a_failed_request_enqueues_nothing(client: TestClient, engine: Engine) -> None:
    assert_kept_only_on_success(client, lambda: _counts(engine))
