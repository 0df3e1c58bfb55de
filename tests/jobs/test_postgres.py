"""PostgreSQL: procrastinate's queue, deferred in our transaction, run by real ``stepwise worker``s.

Each test gets a fresh database of its own (``pg_url``, migrated, so
procrastinate's schema comes from migration 0008), and workers are real
subprocesses (:mod:`tests.fixtures.postgres`).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.mail.models import MailMessage, MailStatus
from app.mail.outbox import queue_mail
from tests.fixtures.postgres import wait_until, worker, worker_env
from tests.fixtures.processes import stepwise_ok
from tests.fixtures.smtp import SmtpServer, free_port

pytestmark = pytest.mark.postgres


def queue_invitation(session: Session, to: str) -> int:
    message = queue_mail(
        session=session,
        to=to,
        kind="invitation",
        subject="You are invited to Stepwise",
        context={"name": "Pat", "inviter": None, "link": "http://x.test/i/s3cr3t", "hours": 1},
    )
    assert message.id is not None
    return message.id


def queue_rows(engine: Engine, task: str = "mail.send") -> list[tuple[str, str, int]]:
    """The queue's jobs of one task (workers also defer their periodic tasks)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT task_name, status::text, attempts FROM procrastinate_jobs "
                "WHERE task_name = :task ORDER BY id"
            ),
            {"task": task},
        ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def test_the_job_is_deferred_in_the_callers_transaction(pg_engine: Engine) -> None:
    with Session(pg_engine) as session:
        queue_invitation(session, "pat@example.test")
        with pg_engine.connect() as other:  # not committed: nobody else sees the job
            assert other.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 0
        session.rollback()
    assert queue_rows(pg_engine) == []
    with Session(pg_engine) as session:
        queue_invitation(session, "pat@example.test")
        session.commit()
    assert queue_rows(pg_engine) == [("mail.send", "todo", 0)]


def test_a_worker_process_sends_the_mail(
    pg_url: str, pg_engine: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with Session(pg_engine) as session:
        message_id = queue_invitation(session, "pat@example.test")
        session.commit()
    log = tmp_path / "worker.log"
    with worker(worker_env(pg_url, smtp_server.env), log):
        (mail,) = smtp_server.inbox.wait_for(1, timeout=60)
        assert mail["To"] == "pat@example.test"
        assert mail["Subject"] == "You are invited to Stepwise"
        wait_until(
            lambda: [r[:2] for r in queue_rows(pg_engine)] == [("mail.send", "succeeded")],
            explain=lambda: f"{queue_rows(pg_engine)}\n{log.read_text()}",
        )
    with Session(pg_engine) as session:
        row = session.get(MailMessage, message_id)
        assert row is not None and row.status == MailStatus.sent and row.text_body is None
    assert "s3cr3t" not in log.read_text()


def test_a_failed_send_is_retried_later_with_backoff(
    pg_url: str, pg_engine: Engine, tmp_path: Path
) -> None:
    nobody = {
        "STEPWISE_SMTP_HOST": "127.0.0.1",
        "STEPWISE_SMTP_PORT": str(free_port()),
        "STEPWISE_SMTP_TLS": "none",
    }
    with Session(pg_engine) as session:
        message_id = queue_invitation(session, "pat@example.test")
        session.commit()
    with worker(worker_env(pg_url, nobody), tmp_path / "worker.log"):
        wait_until(lambda: queue_rows(pg_engine) == [("mail.send", "todo", 1)])
    with pg_engine.connect() as conn:
        delay = conn.execute(
            text(
                "SELECT extract(epoch FROM scheduled_at - now()) FROM procrastinate_jobs "
                "WHERE task_name = 'mail.send'"
            )
        ).scalar()
    assert delay is not None and 30 < float(delay) <= 60  # first retry after 60 s
    with Session(pg_engine) as session:
        row = session.get(MailMessage, message_id)
        assert row is not None and row.status == MailStatus.queued and row.attempts == 1
        assert row.last_error is not None and "Connection" in row.last_error


def test_jobs_list_and_retry_on_postgres(pg_url: str, pg_engine: Engine) -> None:
    from tests.fixtures.failed_jobs import add_failed_job

    with Session(pg_engine) as session:
        job_id = add_failed_job(session)
        session.commit()
    env = worker_env(pg_url, {})
    listed = stepwise_ok(env, "jobs", "list", "--status", "failed", timeout=60)
    assert listed.startswith(f"{job_id}\tfailed\tjobs.prune\t")
    stepwise_ok(env, "jobs", "retry", str(job_id), timeout=60)
    assert queue_rows(pg_engine, "jobs.prune") == [("jobs.prune", "todo", 3)]


def test_the_job_of_a_killed_worker_is_run_by_another(
    pg_url: str, pg_engine: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    smtp_server.inbox.stall_first_data = 120.0  # worker A hangs mid-send ...
    with Session(pg_engine) as session:
        message_id = queue_invitation(session, "pat@example.test")
        session.commit()
    env = {**worker_env(pg_url, smtp_server.env), "STEPWISE_WORKER_STALLED_AFTER_SECONDS": "20"}
    log = tmp_path / "worker.log"
    with worker(env, log) as first:
        wait_until(lambda: smtp_server.inbox.data_started > 0, explain=log.read_text)
        first.send_signal(signal.SIGKILL)  # ... and dies there, its job left "doing"
        first.wait()
    assert [r[:2] for r in queue_rows(pg_engine)] == [("mail.send", "doing")]
    assert smtp_server.inbox.messages == []
    with worker(env, log):
        # Worker B re-queues A's job once A's heartbeat is 20 s old (checked every minute).
        (mail,) = smtp_server.inbox.wait_for(1, timeout=150)
        assert mail["To"] == "pat@example.test"
        wait_until(
            lambda: [r[:2] for r in queue_rows(pg_engine)] == [("mail.send", "succeeded")],
            explain=log.read_text,
        )
    with Session(pg_engine) as session:
        row = session.get(MailMessage, message_id)
        assert row is not None and row.status == MailStatus.sent
