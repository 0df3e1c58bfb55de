"""Rubrics in and out of files in every format: the one place the CLI and pages call.

Each import ends with the YAML the loader will read, checked by reading it
back: the written file must load within the YAML budget and give the same
content hash as the rubric that was imported, or nothing is written.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.rubrics.case import export_package
from app.rubrics.case_import import MAX_CASE_BYTES, CasePackageError, import_package, read_package
from app.rubrics.loader import (
    RubricFileError,
    content_hash,
    load_rubric_file,
    load_rubric_files,
    parse_rubric,
    rubric_files,
)
from app.rubrics.safe_yaml import DEFAULT_BUDGET, YamlRefused, load_yaml_text
from app.rubrics.schemas import Rubric
from app.rubrics.spreadsheet import (
    MAX_SPREADSHEET_BYTES,
    export_spreadsheet,
    import_translated_spreadsheet,
)
from app.rubrics.tables import UnsupportedShape
from app.rubrics.tables_import import SpreadsheetError
from app.rubrics.translation_files import load_translation_file, translation_files
from app.rubrics.translations import RubricTranslation, TranslationFileError
from app.rubrics.writer import rubric_yaml, translation_yaml


class ExportFormat(enum.StrEnum):
    yaml = "yaml"
    xlsx = "xlsx"
    csv = "csv"
    case = "case"


#: File suffix of each import format.
IMPORT_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".xlsx": "xlsx",
    ".zip": "csv",
    ".json": "case",
}


class TransferError(Exception):
    """A rubric that cannot be found, exported or imported; ``lines`` say where and why."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ImportResult:
    rubric: Rubric
    yaml_text: str
    #: What the source format lacked and was filled in (CASE only).
    report: list[str] = field(default_factory=list)
    #: The translations a spreadsheet's ``translations`` sheet carried.
    translations: list[RubricTranslation] = field(default_factory=list)

    def translation_files(self, output: Path) -> dict[Path, str]:
        """Each translation's sibling file beside ``output``: ``<stem>.<locale>.yaml``."""
        return {
            output.with_name(f"{output.stem}.{t.locale}{output.suffix or '.yaml'}"): (
                translation_yaml(t)
            )
            for t in self.translations
        }


def find_rubric(ref: str, *, directory: Path, version: str | None = None) -> Rubric:
    """A rubric by file path, or by id (and version) among the directory's files."""
    path = Path(ref)
    try:
        if path.suffix in {".yaml", ".yml"} and path.is_file():
            return load_rubric_file(path).rubric
    except RubricFileError as exc:
        raise TransferError([exc.render()]) from None
    loaded, _errors = load_rubric_files(rubric_files(directory) if directory.is_dir() else [])
    found = [
        item.rubric
        for item in loaded
        if item.rubric.id == ref and (version is None or item.rubric.version == version)
    ]
    if not found:
        raise TransferError([f"{ref}: no such rubric in {directory}"])
    if len(found) > 1:
        versions = ", ".join(sorted(r.version for r in found))
        raise TransferError([f"{ref}: several versions ({versions}); pass --version"])
    return found[0]


def directory_translations(rubric: Rubric, *, directory: Path) -> list[RubricTranslation]:
    """The translation files of ``rubric`` in the rubrics directory (unreadable ones: an error)."""
    found: list[RubricTranslation] = []
    for path in translation_files(directory) if directory.is_dir() else []:
        try:
            translation = load_translation_file(path)
        except TranslationFileError as exc:
            raise TransferError([exc.render()]) from None
        if translation.rubric_id == rubric.id:
            found.append(translation)
    return found


def export_rubric(
    rubric: Rubric,
    fmt: ExportFormat,
    *,
    base_url: str,
    translations: list[RubricTranslation] | tuple[()] = (),
) -> bytes:
    """The rubric's bytes in ``fmt``; a CASE export is valid against the CASE 1.1 schema.

    Spreadsheets carry ``translations`` in their ``translations`` sheet; YAML
    and CASE hold one language (translations are their own files, packages).
    """
    try:
        if fmt is ExportFormat.yaml:
            return rubric_yaml(rubric).encode()
        if fmt is ExportFormat.case:
            package = export_package(rubric, base_url=base_url, changed=datetime.now(UTC))
            return json.dumps(package, ensure_ascii=False, indent=2).encode()
        return export_spreadsheet(rubric, fmt.value, translations)  # type: ignore[arg-type]
    except SpreadsheetError as exc:
        raise TransferError([f"{rubric.id}: {p}" for p in exc.problems]) from None
    except UnsupportedShape as exc:
        raise TransferError([f"{rubric.id}: {exc}"]) from None


def import_rubric_bytes(data: bytes, fmt: str, *, source: str) -> ImportResult:
    """Read ``data`` in ``fmt`` (``yaml``, ``xlsx``, ``csv`` or ``case``) and produce the
    rubric YAML."""
    report: list[str] = []
    translations: list[RubricTranslation] = []
    try:
        if fmt == "yaml":
            rubric = parse_rubric(_yaml_document(data, source=source), source=source)
        elif fmt == "case":
            imported = import_package(read_package(data, source=source))
            report = imported.report
            rubric = parse_rubric(imported.document, source=source)
        else:
            rubric, translations = import_translated_spreadsheet(data, fmt, source=source)  # type: ignore[arg-type]
    except (SpreadsheetError, CasePackageError) as exc:
        raise TransferError(exc.render().splitlines()) from None
    except RubricFileError as exc:
        raise TransferError([f"  {source}: {p}" for p in exc.problems]) from None
    text = rubric_yaml(rubric)
    try:
        again = parse_rubric(load_yaml_text(text), source=source)
    except YamlRefused as exc:
        raise TransferError([f"{source}: too large for a rubric file: {exc.message}"]) from None
    if content_hash(again) != content_hash(rubric):  # pragma: no cover - a bug, not bad input
        raise TransferError([f"{source}: the YAML written would not read back the same"])
    return ImportResult(rubric, text, report, translations)


def _yaml_document(data: bytes, *, source: str) -> object:
    """An uploaded YAML file's data, within the loader's size, node and alias budget."""
    if len(data) > DEFAULT_BUDGET.max_bytes:
        raise TransferError([f"{source}: larger than {DEFAULT_BUDGET.max_bytes} bytes"])
    try:
        return load_yaml_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TransferError([f"{source}: not UTF-8 text"]) from None
    except YamlRefused as exc:
        where = f"{exc.where}: " if exc.where else ""
        raise TransferError([f"{source}: {where}{exc.message}"]) from None


def import_rubric_file(path: Path) -> ImportResult:
    fmt = IMPORT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(IMPORT_SUFFIXES)
        raise TransferError([f"{path}: unknown format (the file name must end in {known})"])
    limit = MAX_CASE_BYTES if fmt == "case" else MAX_SPREADSHEET_BYTES
    try:
        if path.stat().st_size > limit:
            raise TransferError([f"{path}: larger than {limit} bytes"])
        data = path.read_bytes()
    except OSError as exc:
        raise TransferError([f"{path}: cannot be read ({exc.strerror})"]) from None
    return import_rubric_bytes(data, fmt, source=str(path))
