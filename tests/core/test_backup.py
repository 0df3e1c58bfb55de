"""``stepwise db backup`` / ``db restore`` as real processes, on SQLite and PostgreSQL.

The main test takes a backup while a real server process is taking a burst
of autosaves, then restores it and checks, through the API of a server on
the restored database, that every save acknowledged before the backup began
is there, and that the restored state is exactly one moment of the writers'
history (no half-applied save).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.core.backup import BackupError, backup_database, restore_database
from tests.fixtures.postgres import drop_database
from tests.fixtures.processes import serving

ROOT = Path(__file__).parents[2]
PG_URL = os.environ.get("STEPWISE_TEST_DATABASE_URL", "")
WRITERS = 4


def _env(url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWISE_")}
    env.update(STEPWISE_DATABASE_URL=url, STEPWISE_VAR_DIR=str(var_dir))
    return env


def _stepwise(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _prepared(env: dict[str, str]) -> None:
    for args in (("db", "upgrade"), ("rubrics", "load"), ("demo", "seed")):
        result = _stepwise(env, *args)
        assert result.returncode == 0, result.stderr


def _headers(base: str) -> dict[str, str]:
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "pat@example.com", "password": "stepwise-demo"},
        timeout=30,
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@dataclass
class _Writer:
    """Autosaves one assessment in a loop; logs each acknowledged save."""

    base: str
    headers: dict[str, str]
    assessment_id: int
    version: int
    items: list[str]
    stop: threading.Event
    #: (monotonic time the 200 arrived, version after the save, item, value)
    acked: list[tuple[float, int, str, int]] = field(default_factory=list)
    error: str | None = None

    def run(self) -> None:
        url = f"{self.base}/api/v1/assessments/{self.assessment_id}/responses"
        with httpx.Client(headers=self.headers, timeout=60) as client:
            n = 0
            while not self.stop.is_set():
                item, value = self.items[n % len(self.items)], n % 5 + 1
                answer = client.patch(
                    url, json={"version": self.version, "responses": {item: value}}
                )
                if answer.status_code != 200:
                    self.error = f"{answer.status_code} {answer.text[:200]}"
                    return
                self.version = answer.json()["version"]
                self.acked.append((time.monotonic(), self.version, item, value))
                n += 1

    def state_at(self, version: int, start: int) -> dict[str, int]:
        """The answers after every save up to ``version`` (versions go up by one per save)."""
        state: dict[str, int] = {}
        for _, saved, item, value in self.acked:
            if saved <= version:
                state[item] = value
        assert version - start <= len(self.acked)
        return state


def test_a_backup_taken_during_autosaves_restores_every_acknowledged_save(
    tmp_path: Path,
) -> None:
    live = _env(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "var")
    _prepared(live)
    backup = tmp_path / "backup.sqlite3"
    with serving(live) as base:
        headers = _headers(base)
        rubric = httpx.get(f"{base}/api/v1/rubrics/product-owner", headers=headers).json()
        items = [
            item["id"]
            for competency in rubric["rubric"]["competencies"]
            for behavior in competency["behaviors"]
            for level in behavior["levels"].values()
            for item in level["items"]
        ]
        stop = threading.Event()
        writers = []
        for _ in range(WRITERS):
            created = httpx.post(
                f"{base}/api/v1/assessments", json={"rubric_id": "product-owner"}, headers=headers
            )
            assert created.status_code == 201, created.text
            body = created.json()
            writers.append(_Writer(base, headers, body["id"], body["version"], items, stop))
        starts = {w.assessment_id: w.version for w in writers}
        threads = [threading.Thread(target=w.run) for w in writers]
        for thread in threads:
            thread.start()
        try:
            while min(len(w.acked) for w in writers) < 5 and all(t.is_alive() for t in threads):
                time.sleep(0.05)
            began = time.monotonic()
            result = _stepwise(live, "db", "backup", str(backup))
            ended = time.monotonic()
            time.sleep(0.3)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert [w.error for w in writers] == [None] * WRITERS
    # The writers kept saving while the backup ran: it did not stop the server.
    assert any(began < at < ended for w in writers for at, *_ in w.acked)

    restored = _env(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "var2")
    done = _stepwise(restored, "db", "restore", str(backup))
    assert done.returncode == 0, done.stderr
    with serving(restored) as base:
        headers = _headers(base)
        for writer in writers:
            before = [version for at, version, *_ in writer.acked if at < began]
            assert before, "no save was acknowledged before the backup began"
            state = httpx.get(
                f"{base}/api/v1/assessments/{writer.assessment_id}", headers=headers
            ).json()
            # Every save acknowledged before the backup began is in it ...
            assert state["version"] >= max(before)
            # ... and the state is exactly that of one version: no torn save.
            start = starts[writer.assessment_id]
            assert state["responses"] == writer.state_at(state["version"], start)


def _migrated_sqlite(tmp_path: Path, name: str) -> tuple[str, dict[str, str]]:
    env = _env(f"sqlite:///{tmp_path / name}", tmp_path / "var")
    result = _stepwise(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return env["STEPWISE_DATABASE_URL"], env


def test_backup_and_restore_refuse_to_clobber_and_check_the_backup(tmp_path: Path) -> None:
    url, _ = _migrated_sqlite(tmp_path, "live.db")
    backup = tmp_path / "b.sqlite3"
    made = backup_database(url, backup)
    assert made.revision and made.size == backup.stat().st_size
    with sqlite3.connect(backup) as connection:  # self-contained: no WAL beside it
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    with pytest.raises(BackupError, match="already exists; use --force"):
        backup_database(url, backup)
    assert backup_database(url, backup, overwrite=True).path == backup
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    var = tmp_path / "var"
    with pytest.raises(BackupError, match=r"live\.db already holds data; use --force"):
        restore_database(url, backup, var_dir=var)
    replaced = restore_database(url, backup, force=True, var_dir=var)
    assert replaced.previous is not None and replaced.previous.parent == var / "backups"
    assert backup_database(f"sqlite:///{replaced.previous}", tmp_path / "again.db").revision
    # Into an empty database no --force is needed.
    empty = restore_database(f"sqlite:///{tmp_path / 'new' / 'fresh.db'}", backup, var_dir=var)
    assert empty.previous is None and empty.revision == made.revision

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="is not a usable SQLite database"):
        restore_database(url, garbage, force=True, var_dir=var)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="not a Stepwise database"):
        restore_database(url, foreign, force=True, var_dir=var)
    future = tmp_path / "future.db"
    future.write_bytes(backup.read_bytes())
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(BackupError, match="revision 9999_from_the_future, which this version"):
        restore_database(url, future, force=True, var_dir=var)
    with pytest.raises(BackupError, match="no SQLite database at"):
        backup_database(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "x.db")


def test_the_commands_exit_1_with_one_line(tmp_path: Path) -> None:
    _, env = _migrated_sqlite(tmp_path, "live.db")
    assert _stepwise(env, "db", "backup", str(tmp_path / "b.db")).returncode == 0
    again = _stepwise(env, "db", "backup", str(tmp_path / "b.db"))
    assert again.returncode == 1
    expected = f"{tmp_path / 'b.db'} already exists; use --force to replace it"
    assert again.stderr == f"stepwise: backup failed: {expected}\n"
    refused = _stepwise(env, "db", "restore", str(tmp_path / "b.db"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("stepwise: restore failed: ") and "--force" in refused.stderr
    forced = _stepwise(env, "db", "restore", "--force", str(tmp_path / "b.db"))
    assert forced.returncode == 0, forced.stderr
    assert "the replaced database was saved to" in forced.stdout


# -- PostgreSQL ------------------------------------------------------------------


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases next to the test database: a source and a restore target."""
    if not PG_URL.startswith("postgresql"):
        pytest.skip("PostgreSQL: set STEPWISE_TEST_DATABASE_URL (.ci/run does)")
    base = make_url(PG_URL).set(drivername="postgresql+psycopg")
    names = [f"{base.database}_backup_src", f"{base.database}_backup_dst"]
    admin = create_engine(base)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        urls = [base.set(database=n).render_as_string(hide_password=False) for n in names]
        yield urls[0], urls[1]
    finally:
        for name in names:
            drop_database(admin, name)
        admin.dispose()


def _users(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT email, display_name FROM users ORDER BY email"))
            return [(str(email), str(name)) for email, name in rows]
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("plain", [False, True], ids=["custom", "plain"])
def test_postgres_round_trip(pg_databases: tuple[str, str], tmp_path: Path, plain: bool) -> None:
    source, target = pg_databases
    source_env = _env(source, tmp_path / "var")
    _prepared(source_env)
    backup = tmp_path / ("backup.sql" if plain else "backup.dump")
    made = _stepwise(source_env, "db", "backup", *(["--plain"] if plain else []), str(backup))
    assert made.returncode == 0, made.stderr
    assert (backup.read_bytes()[:5] == b"PGDMP") is not plain
    assert "PGPASSWORD" not in made.stdout and "stepwise-test" not in made.stdout

    target_env = _env(target, tmp_path / "var")
    first = _stepwise(target_env, "db", "restore", str(backup))
    assert first.returncode == 0, first.stderr
    users = _users(source)
    assert len(users) == 4 and _users(target) == users
    assert _stepwise(target_env, "db", "upgrade").returncode == 0  # at heads already

    refused = _stepwise(target_env, "db", "restore", str(backup))
    assert refused.returncode == 1 and "already holds data; use --force" in refused.stderr
    forced = _stepwise(target_env, "db", "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    saved = next((tmp_path / "var" / "backups").glob("before-restore-*.dump"))
    assert saved.read_bytes()[:5] == b"PGDMP"
    assert _users(target) == users
