"""The ``stepwise`` command: thin wrappers over service functions.

Each domain owns its sub-command group (``app/<domain>/cli.py``); this module
mounts them and turns known errors into one-line messages and exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from app import tasks  # noqa: F401 - every background task registered before a command runs
from app.accounts.cli import coaches_app, users_app
from app.assessments.cli import score as score_command
from app.assessments.health_cli import health as rubric_health_command
from app.core.config import get_settings
from app.core.exceptions import StepwiseError
from app.feedback.export_cli import feedback_app
from app.jobs.cli import jobs_app
from app.jobs.cli import worker as worker_command
from app.programmes.cli import demo_app
from app.reports.cli import report as report_command
from app.rubrics.cli import app as rubrics_app
from app.rubrics.loader import RubricFileError, RubricLoadErrors

cli = typer.Typer(
    help="Stepwise: competency self-assessment and coaching engine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    help="Database schema (Alembic migrations), backup and restore.", no_args_is_help=True
)
cli.add_typer(db_app, name="db")
cli.add_typer(rubrics_app, name="rubrics")
# Mounted here: it reads assessments, which sit above the rubrics package.
rubrics_app.command("health")(rubric_health_command)
cli.add_typer(demo_app, name="demo")
cli.add_typer(users_app, name="users")
cli.add_typer(coaches_app, name="coaches")
cli.add_typer(feedback_app, name="feedback")
cli.command("score")(score_command)
cli.command("report")(report_command)
cli.add_typer(jobs_app, name="jobs")
cli.command("worker")(worker_command)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "heads") -> None:
    """Apply migrations to STEPWISE_DATABASE_URL."""
    from app.core import migrations

    migrations.upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Revert migrations down to REVISION (``base`` for an empty schema)."""
    from app.core import migrations

    migrations.downgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="PostgreSQL: plain SQL instead of pg_dump's custom format."),
    ] = False,
) -> None:
    """Write a consistent backup of STEPWISE_DATABASE_URL to FILE, safe while the server runs.

    SQLite: the online backup API (one snapshot, a self-contained database
    file); PostgreSQL: pg_dump. FILE is complete or absent, never partial.
    """
    from app.core.backup import BackupError, backup_database

    try:
        result = backup_database(get_settings().database_url, file, overwrite=force, plain=plain)
    except BackupError as exc:
        print(f"stepwise: backup failed: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    typer.echo(f"backed up to {result.path} ({result.size:,} bytes, revision {result.revision})")


@db_app.command("restore")
def db_restore(
    file: Annotated[
        Path, typer.Argument(help="A file from `stepwise db backup`.", show_default=False)
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a database that holds data (saved first)."),
    ] = False,
) -> None:
    """Replace STEPWISE_DATABASE_URL's content with the backup FILE (stop the server first).

    The backup is checked first. A database that holds data is only replaced
    with --force, and is then saved to STEPWISE_VAR_DIR/backups/ beforehand.
    """
    from app.core.backup import BackupError, restore_database

    settings = get_settings()
    try:
        result = restore_database(
            settings.database_url, file, force=force, var_dir=settings.var_dir
        )
    except BackupError as exc:
        print(f"stepwise: restore failed: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    if result.previous is not None:
        typer.echo(f"the replaced database was saved to {result.previous}")
    typer.echo(
        f"restored {file} (revision {result.revision}); run `stepwise db upgrade` "
        "if it was made by an older version"
    )


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: STEPWISE_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: STEPWISE_PORT")] = None,
    workers: Annotated[int, typer.Option(min=1)] = 1,
    reload: Annotated[bool, typer.Option()] = False,
) -> None:
    """Serve the web app and API with uvicorn.

    Rubrics are validated and stored first, so a bad file stops the command
    with its located problems before any worker starts.
    """
    import uvicorn

    from app.core.db import session_scope
    from app.core.metrics import reset_metrics_dir
    from app.rubrics.startup import load_and_sync_rubrics

    settings = get_settings()
    for session in session_scope():
        load_and_sync_rubrics(session=session, directory=settings.rubrics_dir)
    reset_metrics_dir(settings)  # a previous run's samples would add up
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
    )


def main() -> None:
    try:
        cli()
    except (RubricFileError, RubricLoadErrors) as exc:
        print(f"stepwise: invalid rubrics, refusing to continue:\n{exc}", file=sys.stderr)
        sys.exit(1)
    except StepwiseError as exc:
        print(f"stepwise: {exc.detail}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # a settings or database error: one line, not a traceback
        from pydantic import ValidationError
        from sqlalchemy.exc import OperationalError, ProgrammingError

        if isinstance(exc, ValidationError):
            print(f"stepwise: invalid settings:\n{exc}", file=sys.stderr)
            sys.exit(2)
        if isinstance(exc, OperationalError | ProgrammingError):
            print(
                f"stepwise: database error ({exc.orig}); is STEPWISE_DATABASE_URL right, "
                "and has `stepwise db upgrade` been run?",
                file=sys.stderr,
            )
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
