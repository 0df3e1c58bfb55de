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

from app.core.deps import SessionDep
from app.core.exceptions import Conflict
from app.jobs.models import Job
from app.mail.models import MailMessage
from app.mail.outbox import queue_mail
from app.main import create_app

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
        table = "procrastinate_jobs" if engine.dialect.name == "postgresql" else "jobs"
        jobs = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    return int(mails), int(jobs)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app()

    @app.post("/_probe/fail")
    def fail(session: SessionDep) -> None:
        _queue(session)
        raise Conflict("changed my mind")

    @app.post("/_probe/succeed")
    def succeed(session: SessionDep) -> dict[str, str]:
        _queue(session)
        return {"status": "queued"}

    with TestClient(app) as client:
        yield client
    with Session(engine) as session:  # the successful probe committed for real
        session.execute(delete(MailMessage).where(MailMessage.to_address == TO))  # type: ignore[arg-type]
        if engine.dialect.name == "postgresql":
            session.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'mail.send'"))
        else:
            session.execute(delete(Job).where(Job.task == "mail.send"))  # type: ignore[arg-type]
        session.commit()


def test_a_failed_request_enqueues_nothing(client: TestClient, engine: Engine) -> None:
    before = _counts(engine)
    assert client.post("/_probe/fail").status_code == 409
    assert _counts(engine) == before
    assert client.post("/_probe/succeed").status_code == 200
    mails, jobs = _counts(engine)
    assert (mails, jobs) == (before[0] + 1, before[1] + 1)
