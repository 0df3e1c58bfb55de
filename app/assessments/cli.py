"""``stepwise score --rubric ID FILE``: score answer files offline.

Reads the rubric straight from ``STEPWISE_RUBRICS_DIR`` (validated like at
server start-up) and needs no database, so integrators and coaches can score
exports on any machine. The output is the same ScoringResult JSON the API
returns: one object for a JSON file, a list (one entry per row, with the row
number and respondent) for a CSV file. Bad input exits 1 with every problem
located by file, row and column or key; nothing is printed to stdout then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from app.assessments.answer_files import AnswerFile, AnswerFileError, read_answer_file
from app.core.config import get_settings
from app.rubrics.loader import load_rubric_dir
from app.rubrics.schemas import Rubric
from app.scoring import score_responses

#: Problems printed before "... and N more": enough to fix a file, not a wall of text.
MAX_PROBLEMS = 100


def _find_rubric(rubric_id: str, version: str | None) -> Rubric:
    directory = get_settings().rubrics_dir
    loaded = [item.rubric for item in load_rubric_dir(directory)]
    for rubric in loaded:
        if rubric.id == rubric_id and (version is None or rubric.version == version):
            return rubric
    available = ", ".join(f"{r.id} {r.version}" for r in loaded) or "none"
    wanted = f"'{rubric_id}'" + (f" version {version}" if version else "")
    _fail([f"stepwise: unknown rubric {wanted} in {directory} (available: {available})"])


def _fail(problems: list[str]) -> NoReturn:
    for line in problems[:MAX_PROBLEMS]:
        print(line, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS:
        print(f"... and {len(problems) - MAX_PROBLEMS} more problem(s)", file=sys.stderr)
    raise typer.Exit(1)


def _results(rubric: Rubric, answers: AnswerFile) -> Any:
    if not answers.tabular:
        return score_responses(rubric, answers.sets[0].responses).model_dump(mode="json")
    entries: list[dict[str, Any]] = []
    for item in answers.sets:
        entry: dict[str, Any] = {"row": item.row}
        if answers.has_respondent:
            entry["respondent"] = item.respondent
        entry["result"] = score_responses(rubric, item.responses).model_dump(mode="json")
        entries.append(entry)
    return entries


def score(
    file: Annotated[
        Path,
        typer.Argument(
            help="Answers: JSON {item_id: value}, or CSV with a header row of item ids "
            "(optionally a first 'respondent' column) and one respondent per row.",
            show_default=False,
        ),
    ],
    rubric: Annotated[str, typer.Option("--rubric", help="Rubric id (from STEPWISE_RUBRICS_DIR).")],
    version: Annotated[
        str | None, typer.Option("--version", help="Require this rubric version.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    indent: Annotated[
        int, typer.Option("--indent", min=0, max=8, help="JSON indent; 0 for one line.")
    ] = 2,
) -> None:
    """Score an answer file against a rubric and print the result JSON (no database)."""
    chosen = _find_rubric(rubric, version)
    try:
        answers = read_answer_file(file, chosen)
    except AnswerFileError as exc:
        _fail(exc.problems)
    text = json.dumps(_results(chosen, answers), indent=indent or None, ensure_ascii=False)
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        _fail([f"{output}: cannot write the output: {exc}"])
