"""``stepwise rubrics …``: validate, load and list rubric files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.core.config import get_settings
from app.core.db import session_scope
from app.rubrics.loader import load_rubric_files, rubric_files
from app.rubrics.service import list_current_rubrics
from app.rubrics.startup import load_and_sync_rubrics

app = typer.Typer(
    help="Rubric files: validate, load into the database, list.", no_args_is_help=True
)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(rubric_files(path) if path.is_dir() else [path])
    return files


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories (default: STEPWISE_RUBRICS_DIR)."),
    ] = None,
) -> None:
    """Check rubric files; print every problem with its file and field; exit 1 on any."""
    files = _expand(paths or [get_settings().rubrics_dir])
    if not files:
        typer.echo("no rubric files found", err=True)
        raise typer.Exit(1)
    loaded, errors = load_rubric_files(files)
    for item in loaded:
        typer.echo(
            f"ok  {item.path}: {item.rubric.id} {item.rubric.version} "
            f"({item.rubric.item_count} items)"
        )
    for error in errors:
        typer.echo(error.render(), err=True)
    if errors:
        raise typer.Exit(1)


@app.command()
def load() -> None:
    """Validate STEPWISE_RUBRICS_DIR and store new rubric versions in the database."""
    settings = get_settings()
    for session in session_scope():
        rows = load_and_sync_rubrics(session=session, directory=settings.rubrics_dir)
        for row in rows:
            typer.echo(f"loaded {row.rubric_id} {row.version} ({row.content_hash[:12]})")


@app.command("list")
def list_() -> None:
    """The current rubric versions in the database."""
    for session in session_scope():
        for row in list_current_rubrics(session=session):
            typer.echo(f"{row.rubric_id}\t{row.version}\t{row.title}")
