"""The shared PDF cache: key, lookup and store.

The key is the SHA-256 of the report's canonical JSON (everything the
assessment, review, plan and history contribute, and the language it is
written in: a German and an English report are two renders), the template version (bump
it when templates, stylesheet or chart geometry change), the rubric version's
content hash and the paper size. The same key is the PDF's ``ETag``: when
any input changes — a coach changes a rating, a plan action moves — the key
and the ETag change with it, and an unchanged report is never rendered twice.

Storage is the database (every worker shares it) or, when
``STEPWISE_REPORT_CACHE_DIR`` is set, that directory (shared by the workers
of one machine or mounted on all of them); nothing is cached in memory.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlmodel import Session

from app.reports import repository
from app.reports.document import TEMPLATE_VERSION, Paper
from app.reports.model import ReportData, canonical_json


def cache_key(data: ReportData, *, rubric_hash: str, paper: Paper) -> str:
    parts = (canonical_json(data), TEMPLATE_VERSION, rubric_hash, paper)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _file(directory: Path, key: str) -> Path:
    return directory / f"{key}.pdf"


def load_cached(*, session: Session, key: str, directory: Path | None) -> bytes | None:
    """The cached PDF for ``key``, or ``None`` (also when its file has gone missing)."""
    row = repository.get_cache_row(session=session, key=key)
    if row is None:
        return None
    if row.pdf is not None:
        return row.pdf
    if directory is None:
        return None
    try:
        return _file(directory, key).read_bytes()
    except OSError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write then rename, so a concurrent reader never sees half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store_pdf(
    *,
    session: Session,
    key: str,
    assessment_id: int,
    paper: Paper,
    pdf: bytes,
    directory: Path | None,
) -> None:
    """Cache a rendered PDF, replacing older renders of the same assessment and paper.

    Two workers may render the same report at once; the second insert of the
    same key is a harmless duplicate, absorbed in a savepoint.
    """
    stale = repository.delete_other_renders(
        session=session, assessment_id=assessment_id, paper=paper, keep=key
    )
    if directory is not None:
        _write_atomically(_file(directory, key), pdf)
        for old in stale:
            _file(directory, old).unlink(missing_ok=True)
    repository.add_cache_row(
        session=session,
        key=key,
        assessment_id=assessment_id,
        paper=paper,
        pdf=None if directory is not None else pdf,
        size=len(pdf),
    )


def forget_renders(*, session: Session, assessment_ids: list[int], directory: Path | None) -> int:
    """Delete the cached PDFs of these assessments, rows and files; how many there were."""
    keys = repository.delete_renders_of(session=session, assessment_ids=assessment_ids)
    if directory is not None:
        for key in keys:
            _file(directory, key).unlink(missing_ok=True)
    return len(keys)
