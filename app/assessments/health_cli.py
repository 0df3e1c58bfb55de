"""``stepwise rubrics health ID``: are the rubric's items measuring anything?

Over the submitted assessments of the database (the current version, or
``--version``), or with ``--responses FILE.csv`` over a file in the layout
``stepwise score`` reads (:class:`app.assessments.answer_files.CsvAnswers`),
with no database. A table for people, ``--format json`` for tools. The
figures and flags are docs/rubric-health.md's.

Exit codes: 0 the report was printed (flags do not fail it: they are advice),
1 an unknown rubric, 2 a CSV file that cannot be read, with every problem
located by file, row and column (the first :data:`MAX_PROBLEMS`).

The command is mounted on the ``rubrics`` group by :mod:`app.cli`: the
rubrics package sits below the assessments whose answers it reads.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.assessments.answer_files import AnswerFileError, CsvAnswers
from app.assessments.cli import MAX_PROBLEMS
from app.assessments.health import rubric_health_of
from app.core.config import get_settings
from app.core.db import session_scope
from app.rubrics.schemas import Rubric
from app.rubrics.transfer import TransferError, find_rubric
from app.scoring import ResponseValue
from app.scoring.health import BehaviorHealth, RubricHealth, rubric_health

#: Exit code of a CSV file that cannot be read (bad input, as a usage error).
BAD_FILE = 2


class HealthFormat(enum.StrEnum):
    table = "table"
    json = "json"


def read_csv_responses(file: Path, rubric: Rubric) -> list[dict[str, ResponseValue | None]]:
    """Every row's answers; :class:`AnswerFileError` with every located problem otherwise."""
    problems: list[str] = []
    responses: list[dict[str, ResponseValue | None]] = []
    with CsvAnswers(file, rubric) as answers:
        problems.extend(answers.header_problems)
        for row in answers.rows():
            problems.extend(row.problems)
            if row.answers is not None:
                responses.append(row.answers.responses)
    if problems:
        raise AnswerFileError(problems)
    return responses


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _behavior_lines(behavior: BehaviorHealth, min_n: int) -> list[str]:
    title = f"{behavior.competency_id} / {behavior.id}: {behavior.name}"
    if behavior.suppressed:
        return [title, f"  n={behavior.n}: fewer than {min_n} complete respondents, not shown"]
    lines = [
        title,
        f"  n={behavior.n}  alpha={_number(behavior.alpha)}  "
        f"breaks level order={_share(behavior.guttman_breaks)}  "
        f"floor={_share(behavior.floor)}  ceiling={_share(behavior.ceiling)}",
    ]
    lines += [f"  ! {flag}" for flag in behavior.flags]
    width = max(len(item.id) for item in behavior.items)
    lines.append(f"    {'item':<{width}}  {'level':<14} {'mean':>5} {'var':>5} {'r(it)':>6}  flags")
    for item in behavior.items:
        flags = "; ".join(item.flags) or "-"
        lines.append(
            f"    {item.id:<{width}}  {item.level:<14} {_number(item.mean):>5} "
            f"{_number(item.variance):>5} {_number(item.item_total):>6}  {flags}"
        )
    return lines


def render_table(report: RubricHealth) -> str:
    """The report as plain text: one block per behavior, flags marked with ``!``."""
    lines = [
        f"rubric {report.rubric_id} {report.version}: {report.respondents} respondents, "
        f"figures from n >= {report.min_n}, {report.flag_count} flag(s)",
    ]
    for behavior in report.behaviors:
        lines += ["", *_behavior_lines(behavior, report.min_n)]
    return "\n".join(lines) + "\n"


def _exit_with(problems: list[str], code: int) -> None:
    for line in problems[:MAX_PROBLEMS]:
        print(line, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS:
        print(f"... and {len(problems) - MAX_PROBLEMS} more problem(s)", file=sys.stderr)
    raise typer.Exit(code)


def _report_from_file(
    rubric_id: str, version: str | None, responses: Path, min_n: int
) -> RubricHealth:
    try:
        rubric = find_rubric(rubric_id, directory=get_settings().rubrics_dir, version=version)
    except TransferError as exc:
        _exit_with(exc.lines, 1)
    try:
        answers = read_csv_responses(responses, rubric)
    except AnswerFileError as exc:
        _exit_with(exc.problems, BAD_FILE)
    return rubric_health(rubric, answers, min_n=min_n)


def health(
    rubric_id: Annotated[str, typer.Argument(help="Rubric id.", show_default=False)],
    version: Annotated[
        str | None, typer.Option("--version", help="A stored version (default: the current).")
    ] = None,
    responses: Annotated[
        Path | None,
        typer.Option(
            "--responses",
            help="A CSV answer file (the layout of `stepwise score`) instead of the database; "
            "the rubric then comes from STEPWISE_RUBRICS_DIR.",
        ),
    ] = None,
    min_n: Annotated[
        int | None,
        typer.Option(
            "--min-n",
            min=2,
            max=100_000,
            help="Fewest respondents (default STEPWISE_HEALTH_MIN_N).",
        ),
    ] = None,
    output_format: Annotated[
        HealthFormat, typer.Option("--format", help="table for people, json for tools.")
    ] = HealthFormat.table,
) -> None:
    """Item statistics per behavior: alpha, item-total r, level-order breaks, floor, ceiling."""
    least = min_n if min_n is not None else get_settings().health_min_n
    if responses is not None:
        report = _report_from_file(rubric_id, version, responses, least)
    else:
        for session in session_scope():
            report = rubric_health_of(
                session=session, rubric_id=rubric_id, version=version, min_n=least
            )
    if output_format is HealthFormat.json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_table(report), nl=False)
