"""JSON API of data subject rights: one's own export, an admin's erasure of a person.

``GET /api/v1/me/export`` answers the zip (``application/zip``, never cached).
``POST /api/v1/users/{user_id}/erase`` answers 204; 404 for a non-admin, for
nobody and for someone already erased; 409 for the admin's own account.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep, UnitOfWorkDep
from app.core.types import Id
from app.privacy.erasure import erase_person
from app.privacy.export import build_export_zip, export_filename

router = APIRouter(prefix="/api/v1", tags=["privacy"])

ZIP_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/zip": {}}, "description": "data.json and the report PDFs"},
}


def zip_response(archive: bytes, filename: str) -> Response:
    """The export as a download that no cache keeps."""
    return Response(
        content=archive,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/me/export", response_class=Response, responses=ZIP_RESPONSES)
async def export_my_data(
    user: CurrentUser, session: SessionDep, new_unit: UnitOfWorkDep
) -> Response:
    """All of the caller's data (GDPR Art. 15/20): a zip of data.json and their reports."""
    archive = await build_export_zip(session=session, new_unit=new_unit, user=user)
    return zip_response(archive, export_filename(user))


@router.post("/users/{user_id}/erase", status_code=status.HTTP_204_NO_CONTENT, tags=["admin"])
def erase_user(user_id: Id, user: CurrentUser, session: SessionDep) -> None:
    """Erase a person's personal data (GDPR Art. 17); admins only. Cannot be undone."""
    erase_person(session=session, actor=user, user_id=user_id)
