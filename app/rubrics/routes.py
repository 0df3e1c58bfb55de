"""JSON API: the rubrics this server knows (any signed-in caller).

Rubrics sit below accounts in the layer order (docs/architecture.md), so this
module does not name the signed-in user: the composition root mounts the
router behind accounts' sign-in dependency (``app.main``,
``dependencies=[Depends(get_current_user)]``), which answers 401 to an
anonymous caller before any route here runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.core.config import get_settings
from app.core.deps import SessionDep
from app.rubrics import service
from app.rubrics.api_models import RubricDetail, RubricSummary
from app.rubrics.diff import RubricDiff
from app.rubrics.loader import LOCALE_TAG
from app.rubrics.transfer import ExportFormat, export_rubric
from app.rubrics.translation_service import get_case_package, stored_translations

router = APIRouter(prefix="/api/v1/rubrics", tags=["rubrics"])
#: 1EdTech CASE 1.1 provider paths (read-only), mounted like ``router``.
case_router = APIRouter(prefix="/ims/case/v1p1", tags=["case"])


@router.get("", response_model=list[RubricSummary])
def list_rubrics(session: SessionDep) -> list[RubricSummary]:
    return [RubricSummary.of(row) for row in service.list_current_rubrics(session=session)]


@router.get("/{rubric_id}", response_model=RubricDetail)
def get_rubric(rubric_id: str, session: SessionDep, version: str | None = None) -> RubricDetail:
    """The whole rubric: competencies, behaviors, levels, descriptors and items.

    Without ``version`` the current one; with it, any stored version.
    """
    row = service.get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    return RubricDetail.of(row)


@router.get("/{rubric_id}/diff", response_model=RubricDiff)
def diff_rubric_versions(
    rubric_id: str,
    session: SessionDep,
    from_version: Annotated[str, Query(alias="from", min_length=1, max_length=32)],
    to_version: Annotated[str, Query(alias="to", min_length=1, max_length=32)],
) -> RubricDiff:
    """Behaviors, levels, descriptors and items added, removed, changed or moved between
    two stored versions (docs/rubric-admin.md); 404 when either version is unknown."""
    return service.diff_versions(
        session=session, rubric_id=rubric_id, from_version=from_version, to_version=to_version
    )


#: What a download is served as, by format.
DOWNLOAD_TYPES = {
    ExportFormat.yaml: ("yaml", "application/yaml"),
    ExportFormat.xlsx: (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ExportFormat.csv: ("zip", "application/zip"),
    ExportFormat.case: ("json", "application/json"),
}


@router.get("/{rubric_id}/download", response_class=Response)
def download_rubric(
    rubric_id: str,
    request: Request,
    session: SessionDep,
    format: ExportFormat,
    version: str | None = None,
) -> Response:
    """The rubric as YAML, XLSX, a zip of CSV files or a CASE package
    (docs/rubric-spreadsheet.md)."""
    row = service.get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    base_url = get_settings().base_url or str(request.base_url)
    data = export_rubric(
        service.rubric_of(row),
        format,
        base_url=base_url,
        translations=stored_translations(session=session, version=row),
    )
    suffix, media_type = DOWNLOAD_TYPES[format]
    filename = f"{row.rubric_id}-{row.version}.{suffix}"
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@case_router.get("/CFPackages/{package_id}")
def get_cf_package(
    package_id: str,
    request: Request,
    session: SessionDep,
    locale: Annotated[str | None, Query(max_length=16, pattern=LOCALE_TAG.pattern)] = None,
) -> dict[str, Any]:
    """A current rubric as a CASE 1.1 CFPackage (docs/case.md); 404 for an unknown id.

    ``?locale=de`` gives the package of its German translation (one language a package).
    """
    base_url = get_settings().base_url or str(request.base_url)
    return get_case_package(
        session=session, package_id=package_id, base_url=base_url, locale=locale
    )
