"""``stepwise report ASSESSMENT_ID -o FILE.pdf [--letter]``: write a report to a file.

The operator's tool: it reads any submitted assessment (whoever has the
database has the data anyway), uses the same cache as the web app and renders
in the same kind of worker process, with the same time limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.core.db import session_scope
from app.reports import service
from app.reports.pool import shutdown_pool


def report(
    assessment_id: Annotated[int, typer.Argument(help="Id of a submitted assessment")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF")],
    letter: Annotated[bool, typer.Option("--letter", help="US Letter instead of A4")] = False,
) -> None:
    """Write the development report of an assessment as a PDF file."""
    try:
        for session in session_scope():
            result = service.export_report_pdf(
                session=session, assessment_id=assessment_id, paper="letter" if letter else "a4"
            )
    finally:
        shutdown_pool()
    assert result.pdf is not None
    output.write_bytes(result.pdf)
    source = "from the cache" if result.from_cache else "rendered"
    typer.echo(f"wrote {output} ({len(result.pdf)} bytes, {source})")
