"""``stepwise rubrics …``: validate, load, list, export and import rubric files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.core.config import get_settings
from app.core.db import session_scope
from app.rubrics.loader import (
    LoadedRubric,
    is_translation_file,
    load_rubric_files,
    rubric_files,
    yaml_files,
)
from app.rubrics.service import list_current_rubrics
from app.rubrics.startup import load_and_sync_rubrics
from app.rubrics.transfer import (
    ExportFormat,
    TransferError,
    directory_translations,
    export_rubric,
    find_rubric,
    import_rubric_file,
)
from app.rubrics.translation_files import load_translations

app = typer.Typer(
    help="Rubric files: validate, load into the database, list, export, import.",
    no_args_is_help=True,
)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(yaml_files(path) if path.is_dir() else [path])
    return files


def _validate_translations(files: list[Path], loaded: list[LoadedRubric]) -> bool:
    """Check the translation files against the rubrics loaded with them (or, when a
    translation is named alone, the rubrics of its directory); print every problem."""
    known = {item.path.resolve() for item in loaded}
    nearby = [
        path
        for directory in sorted({file.parent for file in files})
        for path in rubric_files(directory)
        if path.resolve() not in known
    ]
    found = load_translations(files, loaded + load_rubric_files(nearby)[0])
    for item in found.checked:
        lines = item.lines()
        for line in lines:
            typer.echo(line, err=True)
        if item.report.ok:
            t, missing = item.translation, len(item.report.warnings)
            typer.echo(
                f"ok  {t.path}: {t.rubric_id} {t.locale} ({len(t.texts)} texts, "
                f"{missing} warning(s))"
            )
    for error in found.errors:
        typer.echo(error.render(), err=True)
    return found.ok


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories (default: STEPWISE_RUBRICS_DIR)."),
    ] = None,
) -> None:
    """Check rubric files and their translations (``<id>.<locale>.yaml``); print every
    problem with its file and field or key path; exit 1 on any error (missing translated
    texts are warnings)."""
    every = _expand(paths or [get_settings().rubrics_dir])
    files = [path for path in every if not is_translation_file(path)]
    translations = [path for path in every if is_translation_file(path)]
    if not every:
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
    translations_ok = _validate_translations(translations, loaded) if translations else True
    if errors or not translations_ok:
        raise typer.Exit(1)


@app.command()
def load() -> None:
    """Validate STEPWISE_RUBRICS_DIR and store new rubric versions and their translations."""
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


@app.command()
def export(
    rubric_id: Annotated[
        str, typer.Argument(help="A rubric id in the rubrics directory, or a file.")
    ],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="yaml, xlsx, csv (a zip) or case.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    version: Annotated[str | None, typer.Option(help="Which version, when several.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Absolute URL in CASE uris (default STEPWISE_BASE_URL).")
    ] = None,
) -> None:
    """Write a rubric as YAML, XLSX, a zip of CSV files or a CASE 1.1 package (JSON)."""
    settings = get_settings()
    try:
        rubric = find_rubric(rubric_id, directory=settings.rubrics_dir, version=version)
        data = export_rubric(
            rubric,
            fmt,
            base_url=base_url or settings.base_url or "http://localhost:8000",
            translations=directory_translations(rubric, directory=settings.rubrics_dir),
        )
    except TransferError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None
    output.write_bytes(data)
    typer.echo(f"wrote {output}: {rubric.id} {rubric.version} as {fmt.value}")


@app.command("import")
def import_(
    source: Annotated[
        Path, typer.Argument(help="A .xlsx workbook, a .zip of CSVs or a CASE .json.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The YAML file to write.")],
) -> None:
    """Turn a spreadsheet or CASE package into a rubric YAML file; exit 1 with located errors."""
    try:
        result = import_rubric_file(source)
    except TransferError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None
    for note in result.report:
        typer.echo(f"{source}: note: {note}", err=True)
    output.write_text(result.yaml_text, encoding="utf-8")
    for path, text in result.translation_files(output).items():
        path.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {path}: its translation")
    typer.echo(
        f"wrote {output}: {result.rubric.id} {result.rubric.version} "
        f"({result.rubric.item_count} items)"
    )
