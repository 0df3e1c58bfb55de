"""Consistent backups and safe restores of the configured database.

Copying a live SQLite file in WAL mode is not a backup: the last commits may
still sit in the ``-wal`` file, and a copy taken mid-checkpoint is torn. So:

* **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``) in a
  single step, which reads one consistent snapshot (a read transaction: in WAL
  mode it blocks no writer, so the server keeps running) into a temporary file.
  The copy is switched to a self-contained rollback-journal file, checked with
  ``PRAGMA integrity_check``, flushed to disk and only then renamed to the
  target, so a backup file is either complete or absent.
* **PostgreSQL**: ``pg_dump`` (a consistent snapshot of its own), in the
  custom format by default (restored with ``pg_restore``) or as plain SQL
  (restored with ``psql``); both carry ``DROP ... IF EXISTS`` so a restore
  replaces what it restores. The password goes through ``PGPASSWORD``, never
  the command line.

A restore first checks the backup (integrity, and that it is a Stepwise
database at a migration revision this code knows), refuses to replace a
database that holds data unless ``force`` is given, and then saves that
database to ``<var>/backups/before-restore-<time>`` before replacing it, so a
mistaken restore loses nothing. On SQLite the backup API writes the restored
content into the database file in one transaction, so other connections never
see half of it; stop the server anyway (its caches and sessions belong to the
old content). After restoring an older backup, run ``stepwise db upgrade``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

#: The first bytes of a ``pg_dump --format=custom`` archive.
PG_CUSTOM_MAGIC = b"PGDMP"
#: pg_dump/pg_restore/psql get this long before the command gives up.
PG_TIMEOUT_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    #: The Alembic revision the database was at (None if it has none).
    revision: str | None


@dataclass(frozen=True, slots=True)
class RestoreResult:
    revision: str | None
    #: Where the replaced database was saved first (None when it was empty).
    previous: Path | None


# -- shared --------------------------------------------------------------------


def _known_revision(revision: str | None) -> None:
    """Refuse a backup made by a version of Stepwise newer than this one."""
    if revision is None:
        raise BackupError("the backup is not a Stepwise database (it has no alembic_version)")
    from alembic.script import ScriptDirectory

    from app.core.migrations import alembic_config

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception:  # alembic raises several kinds for an unknown id
        raise BackupError(
            f"the backup is at migration revision {revision}, which this version of Stepwise "
            "does not know; restore it with the version that made it"
        ) from None


def _refuse_existing_target(target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; use --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} does not exist")


@contextlib.contextmanager
def _temporary_next_to(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the body succeeds."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)


def _safety_copy_path(var_dir: Path, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    directory = var_dir / "backups"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"before-restore-{stamp}{suffix}"


# -- SQLite --------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupError(f"no SQLite database at {path}")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from None


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _sqlite_check(connection: sqlite3.Connection, what: str) -> None:
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        raise BackupError(f"{what} is not a usable SQLite database: {exc}") from None
    if [tuple(row) for row in rows] != [("ok",)]:
        raise BackupError(f"{what} failed the integrity check: {rows[0][0]}")


def _sqlite_has_data(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with contextlib.closing(_connect_read_only(path)) as connection:
        try:
            count = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        except sqlite3.DatabaseError:
            return True  # not readable as a database: keep it, with a safety copy
        return bool(count)


def _sqlite_copy(source: Path, target: Path) -> str | None:
    """One consistent snapshot of ``source`` into a new self-contained file ``target``."""
    with (
        contextlib.closing(_connect_read_only(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
        except sqlite3.Error as exc:
            raise BackupError(f"cannot back up {source}: {exc}") from None
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        _sqlite_check(dst, "the backup")
        revision = _sqlite_revision(dst)
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    return revision


def _backup_sqlite(url: URL, target: Path) -> BackupResult:
    source = _sqlite_path(url)
    with _temporary_next_to(target) as temporary:
        revision = _sqlite_copy(source, temporary)
    return BackupResult(path=target, size=target.stat().st_size, revision=revision)


def _restore_sqlite(url: URL, source: Path, *, force: bool, var_dir: Path) -> RestoreResult:
    database = _sqlite_path(url)
    with contextlib.closing(_connect_read_only(source)) as backup:
        _sqlite_check(backup, str(source))
        revision = _sqlite_revision(backup)
    _known_revision(revision)
    previous = None
    if _sqlite_has_data(database):
        if not force:
            raise BackupError(
                f"{database} already holds data; use --force to replace it "
                "(it is saved under the var directory first)"
            )
        previous = _safety_copy_path(var_dir, ".sqlite3")
        _sqlite_copy(database, previous)
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(_connect_read_only(source)) as src,
        contextlib.closing(sqlite3.connect(database, timeout=30)) as dst,
    ):
        try:
            # Writes the whole backup into the live file under its write lock,
            # in one transaction: readers see the old or the new database.
            src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore into {database}: {exc}") from None
        dst.execute("PRAGMA journal_mode=WAL")
        _sqlite_check(dst, f"the restored {database}")
    return RestoreResult(revision=revision, previous=previous)


# -- PostgreSQL ----------------------------------------------------------------


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment carrying it."""
    plain = url.set(drivername="postgresql", password=None)
    env = {**os.environ}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _pg_run(tool: str, args: list[str], env: dict[str, str]) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found on PATH; install the PostgreSQL client tools")
    try:
        done = subprocess.run(  # noqa: S603 - fixed tool, arguments are not a shell line
            [executable, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{tool} did not finish within {PG_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit {done.returncode}"
        raise BackupError(f"{tool} failed: {message}")
    return done.stdout


def _pg_query(libpq_url: str, env: dict[str, str], sql: str) -> str:
    args = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", libpq_url, "-c", sql]
    return _pg_run("psql", args, env).strip()


def _pg_revision(libpq_url: str, env: dict[str, str]) -> str | None:
    exists = _pg_query(libpq_url, env, "SELECT to_regclass('alembic_version') IS NOT NULL")
    if exists != "t":
        return None
    return _pg_query(libpq_url, env, "SELECT version_num FROM alembic_version") or None


def _pg_has_data(libpq_url: str, env: dict[str, str]) -> bool:
    count = _pg_query(
        libpq_url,
        env,
        "SELECT count(*) FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )
    return count != "0"


def _pg_dump(libpq_url: str, env: dict[str, str], target: Path, plain: bool) -> None:
    fmt = ["--format=plain", "--clean", "--if-exists"] if plain else ["--format=custom"]
    _pg_run(
        "pg_dump",
        [*fmt, "--no-owner", "--no-privileges", f"--file={target}", f"--dbname={libpq_url}"],
        env,
    )


def _backup_postgres(url: URL, target: Path, *, plain: bool) -> BackupResult:
    libpq_url, env = _pg_target(url)
    revision = _pg_revision(libpq_url, env)
    with _temporary_next_to(target) as temporary:
        _pg_dump(libpq_url, env, temporary, plain)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
    return BackupResult(path=target, size=target.stat().st_size, revision=revision)


def _pg_backup_revision(source: Path, env: dict[str, str], custom: bool) -> str | None:
    """The alembic revision recorded in a dump, read without restoring it."""
    if custom:
        script = _pg_run(
            "pg_restore", ["--data-only", "--table=alembic_version", "--file=-", str(source)], env
        )
        lines: Iterator[str] = iter(script.splitlines())
        return _revision_after_copy(lines)
    with source.open(encoding="utf-8", errors="replace") as handle:  # streamed: dumps are big
        return _revision_after_copy(line.rstrip("\n") for line in handle)


def _revision_after_copy(lines: Iterator[str]) -> str | None:
    for line in lines:
        if line.startswith("COPY public.alembic_version ") and line.endswith("FROM stdin;"):
            value = next(lines, "").strip()
            return value if value and value != "\\." else None
    return None


def _restore_postgres(url: URL, source: Path, *, force: bool, var_dir: Path) -> RestoreResult:
    libpq_url, env = _pg_target(url)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    with source.open("rb") as handle:
        custom = handle.read(len(PG_CUSTOM_MAGIC)) == PG_CUSTOM_MAGIC
    if custom:
        _pg_run("pg_restore", ["--list", str(source)], env)  # reads the whole table of contents
    revision = _pg_backup_revision(source, env, custom)
    _known_revision(revision)
    previous = None
    if _pg_has_data(libpq_url, env):
        if not force:
            raise BackupError(
                f"the database {url.database} already holds data; use --force to replace it "
                "(it is saved under the var directory first)"
            )
        previous = _safety_copy_path(var_dir, ".dump")
        _pg_dump(libpq_url, env, previous, plain=False)
    if custom:
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        once = ["--single-transaction", "--exit-on-error"]
        _pg_run("pg_restore", [*options, *once, f"--dbname={libpq_url}", str(source)], env)
    else:
        once = ["-v", "ON_ERROR_STOP=1", "--single-transaction"]
        _pg_run("psql", ["-X", "-q", *once, "-d", libpq_url, "-f", str(source)], env)
    return RestoreResult(revision=revision, previous=previous)


# -- entry points --------------------------------------------------------------


def backup_database(
    database_url: str, target: Path, *, overwrite: bool = False, plain: bool = False
) -> BackupResult:
    """Write a consistent backup of ``database_url`` to ``target`` (complete or absent).

    ``plain`` is for PostgreSQL: SQL text instead of pg_dump's custom format.
    """
    url = make_url(database_url)
    _refuse_existing_target(target, overwrite)
    if url.get_backend_name() == "sqlite":
        if plain:
            raise BackupError("--plain is for PostgreSQL; a SQLite backup is a database file")
        return _backup_sqlite(url, target)
    return _backup_postgres(url, target, plain=plain)


def restore_database(
    database_url: str, source: Path, *, force: bool = False, var_dir: Path
) -> RestoreResult:
    """Replace the database with the backup ``source``, after checking the backup.

    Without ``force`` a database that holds data is left alone; with it, the
    data is first saved to ``var_dir/backups/before-restore-<time>``.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _restore_sqlite(url, source, force=force, var_dir=var_dir)
    return _restore_postgres(url, source, force=force, var_dir=var_dir)
