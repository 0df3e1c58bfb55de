"""Uploading a rubric from the admin pages: a preview that saves nothing, then a confirmation.

The preview reads the file in any import format (``app.rubrics.transfer``),
reports every located problem, and, when the rubric can be stored, parks the
validated document in a ``rubric_uploads`` row (never in process memory) with
a random token for the confirming form. Each admin has at most one upload
pending (a new preview replaces it) and it expires, so the table stays small.
Confirming stores the document as a new rubric version that becomes current.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.timeutils import utcnow
from app.rubrics.diff import RubricDiff, diff_rubrics
from app.rubrics.loader import content_hash
from app.rubrics.models import SOURCE_UPLOAD, RubricUpload, RubricVersion
from app.rubrics.schemas import Rubric
from app.rubrics.service import rubric_of
from app.rubrics.transfer import IMPORT_SUFFIXES, TransferError, import_rubric_bytes

#: Longest file name kept (and shown) for an upload.
MAX_FILENAME_CHARS = 200

UploadStatus = Literal["new_rubric", "new_version", "unchanged", "conflict"]


@dataclass
class UploadPreview:
    """What an uploaded file would become; ``token`` is set only when it can be saved."""

    filename: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rubric: Rubric | None = None
    status: UploadStatus | None = None
    #: The rubric's current stored version, if it has one.
    current: RubricVersion | None = None
    #: From the current version to the upload.
    diff: RubricDiff | None = None
    token: str | None = None


def upload_name(filename: str | None) -> str:
    """The file's own name (no client path), bounded, for the report and the stored row."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return name[:MAX_FILENAME_CHARS] or "upload"


def upload_format(filename: str) -> str:
    """The import format a file name's suffix names; a located 422 otherwise."""
    fmt = IMPORT_SUFFIXES.get(PurePath(filename).suffix.lower())
    if fmt is None:
        known = ", ".join(IMPORT_SUFFIXES)
        raise InvalidInput(
            "Unknown file type",
            errors=[field_error(["file"], f"the file name must end in one of {known}")],
        )
    return fmt


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stored(session: Session, rubric_id: str, version: str | None = None) -> list[RubricVersion]:
    query = select(RubricVersion).where(RubricVersion.rubric_id == rubric_id)
    if version is not None:
        query = query.where(RubricVersion.version == version)
    return list(session.exec(query))


def _judge(session: Session, preview: UploadPreview, rubric: Rubric, digest: str) -> None:
    """Whether the rubric is new, a new version, already stored or a clash."""
    versions = _stored(session, rubric.id)
    preview.current = next((row for row in versions if row.is_current), None)
    same = next((row for row in versions if row.version == rubric.version), None)
    if same is not None and same.content_hash == digest:
        preview.status = "unchanged"
        preview.errors.append(
            f"version: rubric '{rubric.id}' version {rubric.version} is already stored "
            "with this content; there is nothing to save"
        )
    elif same is not None:
        preview.status = "conflict"
        preview.errors.append(
            f"version: rubric '{rubric.id}' version {rubric.version} is already stored with "
            "different content; assessments pin versions, so give the file a new version"
        )
    else:
        preview.status = "new_version" if versions else "new_rubric"
    if preview.current is not None:
        preview.diff = diff_rubrics(rubric_of(preview.current), rubric)


def preview_upload(
    *,
    session: Session,
    data: bytes,
    filename: str,
    uploaded_by: int,
    ttl: timedelta,
    now: datetime | None = None,
) -> UploadPreview:
    """Validate an uploaded file and, if it can be saved, keep it pending for confirmation."""
    now = now or utcnow()
    preview = UploadPreview(filename=filename)
    fmt = upload_format(filename)
    try:
        imported = import_rubric_bytes(data, fmt, source=filename)
    except TransferError as exc:
        preview.errors = [line.strip() for line in exc.lines if line.strip()]
        return preview
    rubric, preview.rubric, preview.warnings = imported.rubric, imported.rubric, imported.report
    digest = content_hash(rubric)
    _judge(session, preview, rubric, digest)
    session.exec(
        delete(RubricUpload).where(
            (col(RubricUpload.expires_at) <= now) | (col(RubricUpload.uploaded_by) == uploaded_by)
        )
    )
    if preview.errors:
        session.flush()
        return preview
    preview.token = secrets.token_urlsafe(32)
    session.add(
        RubricUpload(
            token_hash=_token_hash(preview.token),
            uploaded_by=uploaded_by,
            filename=filename,
            rubric_id=rubric.id,
            version=rubric.version,
            content_hash=digest,
            document=rubric.model_dump(mode="json"),
            warnings=preview.warnings,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    session.flush()
    return preview


def confirm_upload(
    *, session: Session, token: str, uploaded_by: int, now: datetime | None = None
) -> RubricVersion:
    """Store the pending upload as a new current version; 404 when expired or not yours."""
    now = now or utcnow()
    pending = session.exec(
        select(RubricUpload).where(
            RubricUpload.token_hash == _token_hash(token),
            RubricUpload.uploaded_by == uploaded_by,
            col(RubricUpload.expires_at) > now,
        )
    ).first()
    if pending is None:
        raise NotFound("This upload has expired or was already saved; upload the file again")
    if _stored(session, pending.rubric_id, pending.version):
        raise Conflict(
            f"Rubric '{pending.rubric_id}' version {pending.version} was stored meanwhile"
        )
    row = RubricVersion(
        rubric_id=pending.rubric_id,
        version=pending.version,
        title=str(pending.document.get("title", ""))[:200],
        content_hash=pending.content_hash,
        document=pending.document,
        is_current=True,
        loaded_at=now,
        source=SOURCE_UPLOAD,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict(
            f"Rubric '{pending.rubric_id}' version {pending.version} was stored meanwhile"
        ) from None
    for other in _stored(session, pending.rubric_id):
        if other.id != row.id and other.is_current:
            other.is_current = False
            session.add(other)
    session.delete(pending)
    session.flush()
    return row
