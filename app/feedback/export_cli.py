"""``stepwise feedback export ASSESSMENT_ID -o FILE.csv``: the aggregated results as CSV.

The operator's tool. It writes the rows the pages show (behavior, group, n,
median, distribution) and nothing else: the same rules hide the same
figures for the operator as for the participant (docs/feedback.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.core.db import session_scope
from app.feedback.export import export_feedback_results, feedback_csv, feedback_rows

feedback_app = typer.Typer(help="Multi-rater feedback: aggregated results.", no_args_is_help=True)


@feedback_app.command("export")
def export(
    assessment_id: Annotated[int, typer.Argument(help="Id of an assessment")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the CSV")],
) -> None:
    """Write the shown feedback aggregates of an assessment as CSV (no raw answers)."""
    for session in session_scope():
        results = export_feedback_results(session=session, assessment_id=assessment_id)
    output.write_text(feedback_csv(results), encoding="utf-8")
    typer.echo(f"wrote {output} ({len(feedback_rows(results))} rows)")
