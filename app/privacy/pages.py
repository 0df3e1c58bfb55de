"""Pages of data subject rights: "Your data" (the export button) and the admin's erase form.

``/account/data`` explains what the export holds and links to
``/account/data/export``, a plain download. ``/admin/users/{id}/erase`` shows
what an erasure removes and asks the admin to type the person's email to
confirm (a browser confirmation alone is too easy to click through).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.accounts.erasure import erasable_user
from app.accounts.policy import ensure_admin
from app.core.config import get_settings
from app.core.deps import SessionDep, UnitOfWorkDep
from app.core.i18n import N_
from app.core.pages import render_page, see_other
from app.core.types import Id
from app.privacy.erasure import erase_person
from app.privacy.export import build_export_zip, export_filename
from app.privacy.routes import zip_response

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_PATH = "/account/data"


@router.get(PAGE_PATH, response_class=HTMLResponse)
def data_page(request: Request, user: PageUser) -> Response:
    settings = get_settings()
    return render_page(
        request,
        "privacy/account.html",
        max_reports=settings.export_max_reports,
        retention_months=settings.retention_months,
    )


@router.get(PAGE_PATH + "/export")
async def download_export(user: PageUser, session: SessionDep, new_unit: UnitOfWorkDep) -> Response:
    archive = await build_export_zip(session=session, new_unit=new_unit, user=user)
    return zip_response(archive, export_filename(user))


def _erase_form(
    request: Request, *, session: SessionDep, actor: PageUser, user_id: int, error: str | None
) -> Response:
    ensure_admin(user=actor)
    person = erasable_user(session=session, user_id=user_id)
    return render_page(
        request,
        "privacy/erase.html",
        422 if error else 200,
        person=person,
        is_self=person.id == actor.id,
        error=error,
    )


@router.get("/admin/users/{user_id}/erase", response_class=HTMLResponse)
def erase_page(request: Request, user: PageUser, session: SessionDep, user_id: Id) -> Response:
    return _erase_form(request, session=session, actor=user, user_id=user_id, error=None)


@router.post("/admin/users/{user_id}/erase", response_class=HTMLResponse)
def erase_submit(
    request: Request,
    user: PageUser,
    session: SessionDep,
    user_id: Id,
    confirm_email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    """Erase once the admin typed the person's email; else the form again, saying why."""
    ensure_admin(user=user)
    person = erasable_user(session=session, user_id=user_id)
    if confirm_email.strip().lower() != person.email:
        error = N_("Type the person's email address exactly to confirm the erasure.")
        return _erase_form(request, session=session, actor=user, user_id=user_id, error=error)
    erase_person(session=session, actor=user, user_id=user_id)
    return see_other("/admin?done=erased")
