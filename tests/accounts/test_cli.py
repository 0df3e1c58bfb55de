"""``stepwise users`` / ``stepwise coaches`` / ``stepwise demo`` as real processes."""

from __future__ import annotations

import contextlib
import os
import pty
import select as io_select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.accounts import invitations, service
from app.accounts.models import CoachAssignment, Invitation, Role
from app.core import migrations
from app.core.db import make_engine
from tests.fixtures.database import migrated_sqlite_file
from tests.fixtures.paths import ROOT
from tests.fixtures.processes import run_cli


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite_file(tmp_path_factory, "cli")


@pytest.fixture
def db(database: str) -> Iterator[Session]:
    # A read-only observer: it must not hold SQLite's write lock while the CLI writes.
    engine = make_engine(database, begin_immediate=False)
    with Session(engine) as session:
        yield session
    engine.dispose()


def stepwise(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env={"STEPWISE_DATABASE_URL": database})


def _one_line_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.strip() == f"stepwise: {message}"


def test_add_with_a_password(database: str, db: Session) -> None:
    result = stepwise(
        database,
        "users",
        "add",
        "Ada@Example.test",
        "--role",
        "admin",
        "--role",
        "coach",
        "--password",
        "a-long-password",
        "--name",
        "Ada",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "added ada@example.test (admin,coach)"
    user = service.authenticate(session=db, email="ada@example.test", password="a-long-password")
    assert user is not None and user.display_name == "Ada"
    assert user.role_set == {Role.admin, Role.coach}


def test_errors_are_one_line_without_traceback(database: str) -> None:
    stepwise(database, "users", "add", "dup@example.test", "-r", "coach", "--password", "x" * 12)
    _one_line_error(
        stepwise(
            database, "users", "add", "DUP@example.test", "-r", "coach", "--password", "y" * 12
        ),
        "A user with email dup@example.test already exists",
    )
    _one_line_error(
        stepwise(database, "users", "add", "s@example.test", "-r", "coach", "--password", "short"),
        "Password must be at least 10 characters long.",
    )
    _one_line_error(
        stepwise(database, "users", "add", "r@example.test", "--role", "boss"),
        "Unknown role 'boss' (choose participant, coach, admin, lead)",
    )
    _one_line_error(
        stepwise(database, "users", "invite", "r@example.test"),
        "at least one --role is required (participant, coach or admin)",
    )
    _one_line_error(
        stepwise(database, "users", "add", "not-an-email", "-r", "coach", "--password", "x" * 12),
        "Invalid email",
    )


def test_add_without_a_password_prints_an_invitation_link(database: str, db: Session) -> None:
    result = stepwise(database, "users", "add", "bo@example.test", "--role", "participant")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("invited bo@example.test (participant); the link works once")
    link = lines[1].strip()
    assert link.startswith("http://127.0.0.1:8000/invitations/")
    _, user = invitations.find_open_invitation(session=db, secret=link.rsplit("/", 1)[1])
    assert user.email == "bo@example.test" and user.password_hash is None


def test_invite_prints_a_link_with_the_public_url(database: str, db: Session) -> None:
    result = stepwise(
        database,
        "users",
        "invite",
        "cy@example.test",
        "--role",
        "coach",
        "--base-url",
        "https://stepwise.example.org/",
    )
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip().splitlines()[1].strip()
    assert link.startswith("https://stepwise.example.org/invitations/")
    secret = link.rsplit("/", 1)[1]
    invitations.accept_invitation(
        session=db, secret=secret, password="cy-password-1", password_min_length=10
    )
    db.commit()
    reused = stepwise(database, "users", "invite", "cy@example.test", "--role", "coach")
    _one_line_error(reused, "A user with email cy@example.test already exists")


def test_coaches_assign_and_unassign(database: str, db: Session) -> None:
    stepwise(database, "users", "add", "co@example.test", "-r", "coach", "--password", "x" * 12)
    stepwise(
        database, "users", "add", "pa@example.test", "-r", "participant", "--password", "x" * 12
    )
    result = stepwise(database, "coaches", "assign", "CO@example.test", "pa@example.test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "assigned coach co@example.test to participant pa@example.test"
    coach = service.get_user_by_email(session=db, email="co@example.test")
    participant = service.get_user_by_email(session=db, email="pa@example.test")
    assert coach is not None and participant is not None
    assert db.get(CoachAssignment, (coach.id, participant.id)) is not None

    _one_line_error(
        stepwise(database, "coaches", "assign", "ghost@example.test", "pa@example.test"),
        "no user with email ghost@example.test",
    )
    _one_line_error(
        stepwise(database, "coaches", "assign", "pa@example.test", "co@example.test"),
        "pa@example.test is not a coach",
    )
    assert (
        stepwise(database, "coaches", "unassign", "co@example.test", "pa@example.test").returncode
        == 0
    )
    db.rollback()  # end the read transaction: see the other process's commit
    assert db.get(CoachAssignment, (coach.id, participant.id)) is None
    _one_line_error(
        stepwise(database, "coaches", "unassign", "co@example.test", "pa@example.test"),
        "co@example.test is not assigned to pa@example.test",
    )


def test_users_list(database: str) -> None:
    stepwise(database, "users", "add", "li@example.test", "-r", "coach", "--password", "x" * 12)
    stepwise(database, "users", "invite", "pe@example.test", "-r", "participant")
    listed = stepwise(database, "users", "list").stdout
    assert "li@example.test\tcoach\tactive" in listed
    assert "pe@example.test\tparticipant\tinvited" in listed


def test_interactive_add_prompts_twice_without_echo(database: str, db: Session) -> None:
    """On a terminal, the password is asked for twice (and not echoed)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stepwise on a pseudo-terminal
        os.chdir(ROOT)
        os.execve(  # noqa: S606 - a fixed argv, no shell
            sys.executable,
            [sys.executable, "-m", "app.cli", "users", "add", "tty@example.test", "-r", "coach"],
            {**os.environ, "STEPWISE_DATABASE_URL": database},
        )
    output = b""

    def read_until(marker: bytes) -> None:
        nonlocal output
        deadline = time.monotonic() + 30
        while marker not in output and time.monotonic() < deadline:
            ready, _, _ = io_select.select([fd], [], [], 1)
            if ready:
                output += os.read(fd, 1024)
        assert marker in output, output

    def wait_for_exit() -> int:
        """The child's exit code; killed (and the test failed) if it hangs."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail(f"stepwise users add did not exit: {output!r}")

    try:
        # Wait for getpass's own prompt (the trailing space): only then is echo
        # off and typed input no longer flushed.
        read_until(b"Password: ")
        os.write(fd, b"tty-password-1\n")
        read_until(b"Repeat for confirmation: ")
        os.write(fd, b"tty-password-1\n")
        read_until(b"added tty@example.test")
        exit_code = wait_for_exit()
    except BaseException:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    finally:
        os.close(fd)
    assert exit_code == 0
    assert b"tty-password-1" not in output
    assert service.authenticate(session=db, email="tty@example.test", password="tty-password-1")


def test_demo_seed_creates_the_demo_people_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrations.upgrade(url)
    first = stepwise(url, "demo", "seed")
    assert first.returncode == 0, first.stderr
    for email in ("admin@example.com", "coach@example.com", "pat@example.com", "sam@example.com"):
        assert email in first.stdout
    engine = make_engine(url)
    with Session(engine) as session:
        coach = service.get_user_by_email(session=session, email="coach@example.com")
        assert coach is not None
        participants = service.participants_of(session=session, coach_id=coach.id or 0)
        assert [p.email for p in participants] == ["pat@example.com", "sam@example.com"]
        admin = service.authenticate(
            session=session, email="admin@example.com", password="stepwise-demo"
        )
        assert admin is not None and admin.has_role(Role.admin)
    engine.dispose()
    again = stepwise(url, "demo", "seed")
    assert "nothing created" in again.stdout


def test_invitations_made_by_the_cli_expire(database: str, db: Session) -> None:
    stepwise(database, "users", "invite", "ex@example.test", "-r", "participant")
    user = service.get_user_by_email(session=db, email="ex@example.test")
    assert user is not None
    row = db.exec(select(Invitation).where(Invitation.user_id == user.id)).one()
    assert row.expires_at - row.created_at == timedelta(hours=72)
