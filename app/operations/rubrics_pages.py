"""Admin pages of rubrics: the stored versions, one version's ladder, uploads and diffs.

An upload is two steps without JavaScript: the file is posted and a report
shows what it would become (nothing saved), then a small form confirms it by
the pending upload's token (``app.rubrics.uploads``). Downloads link to the
rubrics API (``/api/v1/rubrics/{id}/download``), which a signed-in browser
may call. Admins only (404 for everyone else, by the router's guard).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser, admin_pages_router
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import InvalidInput
from app.core.i18n import N_
from app.core.pages import done_flash, render_page, see_other
from app.rubrics import service, uploads
from app.rubrics.models import RubricVersion
from app.rubrics.transfer import ExportFormat

router = admin_pages_router("/admin/rubrics")

#: The one route that takes a file: ``app.main`` gives it its own body limit.
RUBRIC_UPLOAD_PATH = "/admin/rubrics/upload"
#: Room for the multipart framing and the form's other fields above the file itself.
UPLOAD_OVERHEAD = 64 * 1024

RubricId = Annotated[str, Path(min_length=1, max_length=64)]
VersionText = Annotated[str, Path(min_length=1, max_length=32)]

DONE_MESSAGES = {"saved": N_("The uploaded rubric is saved and is now the current version.")}

#: The download links of a version, in the order shown.
DOWNLOADS = [
    (ExportFormat.yaml, "YAML"),
    (ExportFormat.xlsx, N_("Excel (XLSX)")),
    (ExportFormat.csv, N_("CSV files (zip)")),
    (ExportFormat.case, N_("CASE 1.1 (JSON)")),
]


@router.get("", response_class=HTMLResponse)
def rubrics_page(request: Request, session: SessionDep) -> Response:
    versions = service.list_rubric_versions(session=session)
    by_rubric: dict[str, list[RubricVersion]] = {}
    for row in versions:
        by_rubric.setdefault(row.rubric_id, []).append(row)
    return render_page(request, "rubrics/admin_rubrics.html", by_rubric=by_rubric)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, settings: SettingsDep) -> Response:
    return _upload_page(request, settings)


def _upload_page(
    request: Request,
    settings: Settings,
    *,
    status_code: int = 200,
    preview: uploads.UploadPreview | None = None,
    error: str | None = None,
) -> Response:
    return render_page(
        request,
        "rubrics/admin_upload.html",
        status_code=status_code,
        preview=preview,
        error=error,
        max_bytes=settings.rubric_upload_max_bytes,
        ttl_minutes=settings.rubric_upload_ttl_minutes,
    )


@router.post("/upload", response_class=HTMLResponse)
async def preview_upload(
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step 1: the validation report of the uploaded file (nothing is saved)."""
    limit = settings.rubric_upload_max_bytes
    if file is None or not file.filename:
        return _upload_page(request, settings, status_code=422, error="file: choose a file")
    data = await file.read(limit + 1)
    if len(data) > limit:
        error = f"file: larger than the limit of {limit:,} bytes"
        return _upload_page(request, settings, status_code=413, error=error)
    try:
        preview = uploads.preview_upload(
            session=session,
            data=data,
            filename=uploads.upload_name(file.filename),
            uploaded_by=user.id or 0,
            ttl=timedelta(minutes=settings.rubric_upload_ttl_minutes),
        )
    except InvalidInput as exc:
        located = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors or [])
        return _upload_page(request, settings, status_code=422, error=located or exc.detail)
    status_code = 422 if preview.errors else 200
    return _upload_page(request, settings, status_code=status_code, preview=preview)


@router.post("/upload/confirm")
def confirm_upload(
    user: PageUser,
    session: SessionDep,
    upload: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    """Step 2: the pending upload saved as a new current version (404 once expired)."""
    row = uploads.confirm_upload(session=session, token=upload, uploaded_by=user.id or 0)
    return see_other(
        f"/admin/rubrics/{row.rubric_id}/versions/{quote(row.version, safe='')}?done=saved"
    )


@router.get("/{rubric_id}/versions/{version}", response_class=HTMLResponse)
def version_page(
    rubric_id: RubricId, version: VersionText, request: Request, session: SessionDep, done: str = ""
) -> Response:
    """One version's whole ladder: competencies, behaviors, a descriptor per level, items."""
    row = service.get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    others = [
        other
        for other in service.list_rubric_versions(session=session)
        if other.rubric_id == rubric_id and other.version != version
    ]
    return render_page(
        request,
        "rubrics/admin_version.html",
        row=row,
        rubric=service.rubric_of(row),
        others=others,
        downloads=DOWNLOADS,
        flash=done_flash(done, DONE_MESSAGES),
    )


@router.get("/{rubric_id}/diff", response_class=HTMLResponse)
def diff_page(
    rubric_id: RubricId,
    request: Request,
    session: SessionDep,
    from_version: Annotated[str, Query(alias="from", min_length=1, max_length=32)],
    to_version: Annotated[str, Query(alias="to", min_length=1, max_length=32)],
) -> Response:
    """What changed from one stored version to another."""
    diff = service.diff_versions(
        session=session, rubric_id=rubric_id, from_version=from_version, to_version=to_version
    )
    return render_page(request, "rubrics/admin_diff.html", diff=diff)
