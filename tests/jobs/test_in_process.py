"""SQLite, no worker: jobs run inside ``stepwise serve``, and survive a restart.

A real server process, a real SMTP server (aiosmtpd) and the real CLI: an
invitation made while no server runs is queued, not lost; the next start
sends it, and the link in the mail works.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.core import migrations
from app.core.db import make_engine
from app.jobs.models import Job, JobStatus
from app.mail.models import MailMessage, MailStatus
from tests.fixtures.processes import STEPWISE, stepwise_ok, stop
from tests.fixtures.smtp import SmtpServer, free_port


@pytest.fixture
def server_env(tmp_path: Path, smtp_server: SmtpServer) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    migrations.upgrade(url)
    port = free_port()
    return {
        **os.environ,
        **smtp_server.env,
        "STEPWISE_ENVIRONMENT": "development",
        "STEPWISE_DATABASE_URL": url,
        "STEPWISE_VAR_DIR": str(tmp_path / "var"),
        "STEPWISE_PORT": str(port),
        "STEPWISE_BASE_URL": f"http://127.0.0.1:{port}",
        "STEPWISE_JOBS_POLL_SECONDS": "0.2",
        "PYTHONUNBUFFERED": "1",
    }


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    base = env["STEPWISE_BASE_URL"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [STEPWISE, "serve", "--host", "127.0.0.1", "--port", env["STEPWISE_PORT"]],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield base
    finally:
        stop(process)


def test_a_job_queued_while_no_server_runs_is_sent_at_the_next_start(
    server_env: dict[str, str], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    printed = stepwise_ok(server_env, "users", "add", "new@example.test", "--role", "participant")
    shown_link = printed.strip().splitlines()[1].strip()
    engine = make_engine(server_env["STEPWISE_DATABASE_URL"], begin_immediate=False)
    try:
        with Session(engine) as session:
            (job,) = session.exec(select(Job)).all()
            assert job.task == "mail.send" and job.status == JobStatus.queued
        time.sleep(0.5)
        assert smtp_server.inbox.messages == []  # nobody runs jobs yet

        with serving(server_env, tmp_path / "server.log") as base:
            (mail,) = smtp_server.inbox.wait_for(1, timeout=60)
            assert mail["To"] == "new@example.test"
            assert mail["Subject"] == "You are invited to Stepwise"
            body = mail.get_body(preferencelist=("plain",))
            assert body is not None
            match = re.search(r"http://127\.0\.0\.1:\d+/invitations/[\w-]+", body.get_content())
            assert match, body.get_content()
            assert match.group(0) == shown_link.replace(shown_link.split("/invitations/")[0], base)
            with urllib.request.urlopen(match.group(0), timeout=10) as page:  # noqa: S310
                assert page.status == 200
                assert b"Welcome to Stepwise" in page.read()

        with Session(engine) as session:
            (row,) = session.exec(select(MailMessage)).all()
            assert row.status == MailStatus.sent and row.text_body is None
            (job,) = session.exec(select(Job).where(col(Job.task) == "mail.send")).all()
            assert job.status == JobStatus.succeeded
        log = (tmp_path / "server.log").read_text()
        assert "new@example.test" in log
        secret = shown_link.rsplit("/", 1)[1]
        assert secret not in log  # the link is a credential: never logged, not even by uvicorn
        assert "GET /invitations/… HTTP/1.1" in log
    finally:
        engine.dispose()
