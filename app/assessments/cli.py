"""``stepwise score --rubric ID FILE``: score answer files offline.

Reads the rubric straight from ``STEPWISE_RUBRICS_DIR`` (validated like at
server start-up) and needs no database, so integrators and coaches can score
exports on any machine. The output is the same ScoringResult JSON the API
returns: one object for a JSON file, a list (one entry per row, with the row
number and respondent) for a CSV file; ``--format ndjson`` writes one compact
JSON value per line instead (per row for a CSV file).

A CSV file is streamed: each row is read, scored and written before the next
is read, so memory stays flat whatever the number of rows (docs/benchmarks.md).

Bad input exits 1 with every problem located by file, row and column or key
(the first :data:`MAX_PROBLEMS` printed, then a count). Header problems and a
bad JSON file stop the command before anything is written. A bad CSV row
stops the *writing*: its result and all later ones are not written, but the
rest of the file is still checked so that every bad row is reported. With
``--output`` the results go to a temporary file that replaces the target only
when every row was good, so a failed run leaves no output file behind; on
stdout the rows before the first bad one have already been printed (JSON is
then left without its closing ``]``, so it does not parse as complete).
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import orjson
import typer

from app.assessments.answer_files import (
    AnswerFileError,
    CsvAnswers,
    is_json_file,
    read_json_answers,
)
from app.core.config import get_settings
from app.rubrics.loader import load_rubric_dir
from app.rubrics.schemas import Rubric
from app.scoring import score_document

#: Problems printed before "... and N more": enough to fix a file, not a wall of text.
MAX_PROBLEMS = 100


class OutputFormat(enum.StrEnum):
    json = "json"
    ndjson = "ndjson"


def _find_rubric(rubric_id: str, version: str | None) -> Rubric:
    directory = get_settings().rubrics_dir
    loaded = [item.rubric for item in load_rubric_dir(directory)]
    for rubric in loaded:
        if rubric.id == rubric_id and (version is None or rubric.version == version):
            return rubric
    available = ", ".join(f"{r.id} {r.version}" for r in loaded) or "none"
    wanted = f"'{rubric_id}'" + (f" version {version}" if version else "")
    _fail([f"stepwise: unknown rubric {wanted} in {directory} (available: {available})"])


class _Problems:
    """Prints the first MAX_PROBLEMS problems to stderr as they come and counts the rest."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, lines: list[str]) -> None:
        for line in lines:
            self.count += 1
            if self.count <= MAX_PROBLEMS:
                print(line, file=sys.stderr)

    def finish(self) -> None:
        if self.count > MAX_PROBLEMS:
            print(f"... and {self.count - MAX_PROBLEMS} more problem(s)", file=sys.stderr)
        if self.count:
            raise typer.Exit(1)


def _fail(problems: list[str]) -> NoReturn:
    report = _Problems()
    report.add(problems)
    report.finish()
    raise typer.Exit(1)  # pragma: no cover - finish() exits on any problem


class _Writer:
    """Writes results one by one as a JSON array (indented like ``json.dumps``) or NDJSON."""

    def __init__(self, out: IO[str], output_format: OutputFormat, indent: int | None):
        self.out = out
        self.format = output_format
        self.indent = indent
        self.written = 0

    def _dumps(self, value: Any) -> str:
        # orjson gives the same text as json.dumps for these documents (strings,
        # ints, short floats) at a fraction of the cost: with an indent,
        # json.dumps falls back to its pure-Python encoder, which was 85% of
        # the time of `stepwise score` on a CSV (docs/benchmarks.md). orjson
        # only indents by 2; other indents keep json.dumps.
        if self.format is OutputFormat.ndjson:
            return orjson.dumps(value).decode()
        if self.indent == 2:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
        return json.dumps(value, indent=self.indent, ensure_ascii=False)

    def single(self, value: Any) -> None:
        self.out.write(self._dumps(value) + "\n")

    def entry(self, value: Any) -> None:
        """One element of the list; the same text ``json.dumps`` gives for the whole list."""
        text = self._dumps(value)
        if self.format is OutputFormat.ndjson:
            self.out.write(text + "\n")
        elif self.indent is None:
            self.out.write(("[" if not self.written else ", ") + text)
        else:
            pad = " " * self.indent
            self.out.write(("[\n" if not self.written else ",\n") + pad)
            self.out.write(text.replace("\n", "\n" + pad))
        self.written += 1

    def close_list(self) -> None:
        if self.format is OutputFormat.ndjson:
            return
        if not self.written:
            self.out.write("[]\n")
        else:
            self.out.write("]\n" if self.indent is None else "\n]\n")


def _open_output(path: Path, *, shown: Path | None = None) -> IO[str]:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        _fail([f"{shown or path}: cannot write the output: {exc}"])


@contextlib.contextmanager
def _destination(output: Path | None) -> Iterator[tuple[IO[str], list[bool]]]:
    """stdout (or a device), or a temporary file next to ``output`` replacing it on success.

    The body sets ``ok[0] = True`` when everything was written; otherwise the
    temporary file is removed and ``output`` is left as it was.
    """
    ok = [False]
    if output is None or (output.exists() and not output.is_file()):
        # stdout, or a device or pipe such as /dev/null: written as it comes.
        with contextlib.ExitStack() as stack:
            out = sys.stdout if output is None else stack.enter_context(_open_output(output))
            yield out, ok
            out.flush()
        return
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    handle = _open_output(temporary, shown=output)
    try:
        with handle:
            yield handle, ok
        if ok[0]:
            temporary.replace(output)
    except OSError as exc:
        _fail([f"{output}: cannot write the output: {exc}"])
    finally:
        temporary.unlink(missing_ok=True)


def _score_csv(file: Path, rubric: Rubric, writer: _Writer, report: _Problems) -> bool:
    """Stream the rows: score and write each good one until the first problem."""
    try:
        answers = CsvAnswers(file, rubric)
    except AnswerFileError as exc:
        _fail(exc.problems)
    with answers:
        report.add(answers.header_problems)
        for row in answers.rows():
            if row.problems:
                report.add(row.problems)
                continue
            if report.count or row.answers is None:
                continue  # already failed: check the rest, write nothing more
            entry: dict[str, Any] = {"row": row.answers.row}
            if answers.has_respondent:
                entry["respondent"] = row.answers.respondent
            entry["result"] = score_document(rubric, row.answers.responses)
            writer.entry(entry)
    if report.count:
        return False
    writer.close_list()
    return True


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
        Path | None,
        typer.Option(
            "--output", "-o", help="Write here instead of stdout (only if every row is good)."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="json: one object, or a list for CSV; ndjson: one compact result per line.",
        ),
    ] = OutputFormat.json,
    indent: Annotated[
        int, typer.Option("--indent", min=0, max=8, help="JSON indent; 0 for one line.")
    ] = 2,
) -> None:
    """Score an answer file against a rubric and print the result JSON (no database).

    CSV files are streamed row by row; on a bad row every problem is reported,
    nothing more is written and the exit code is 1.
    """
    chosen = _find_rubric(rubric, version)
    report = _Problems()
    try:
        single = read_json_answers(file, chosen) if is_json_file(file) else None
    except AnswerFileError as exc:
        _fail(exc.problems)
    try:
        with _destination(output) as (out, ok):
            writer = _Writer(out, output_format, indent or None)
            if single is not None:
                writer.single(score_document(chosen, single.responses))
                ok[0] = True
            else:
                ok[0] = _score_csv(file, chosen, writer, report)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, like other tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
    report.finish()
