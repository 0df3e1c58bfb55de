"""Admin pages that rename and delete a cohort: plain versioned forms, no JavaScript.

Both forms carry the cohort's ``version`` as a hidden field, so a form
filled in against an older cohort (another admin renamed it meanwhile)
answers the styled 409 page, showing the cohort as it is now and the
admin's text kept in the form, never a silent overwrite. Deleting is two
steps: ``GET .../delete`` says what would go and asks to confirm, the
confirm form posts. A cohort whose cycles ran is never deleted (see
:func:`app.programmes.cohorts.delete_cohort`): the confirm page says so
instead of offering the button.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser, admin_pages_router
from app.core.deps import SessionDep
from app.core.exceptions import InvalidInput
from app.core.pages import form_errors, render_page, see_other
from app.core.types import Id
from app.core.versioning import FormVersion, VersionConflict
from app.programmes import cohorts, repository
from app.programmes.cohorts import CohortInUse
from app.programmes.models import MAX_NAME_LENGTH
from app.programmes.pages import TextField, cohort_page_response

router = admin_pages_router("/admin")


@router.post("/cohorts/{cohort_id:id}/rename", response_class=HTMLResponse)
def rename_cohort(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    version: FormVersion,
    name: TextField = "",
) -> Response:
    """The new name, based on the version the form showed (409 page when stale)."""
    try:
        cohorts.update_cohort(
            session=session,
            actor=user,
            cohort_id=cohort_id,
            expected_version=version,
            name=name,
        )
    except (VersionConflict, InvalidInput) as exc:  # 409 (stale: no located errors) or 422
        return cohort_page_response(
            request, user, session, cohort_id, status_code=exc.status_code,
            rename={"name": name, "error": exc.detail, "errors": form_errors(exc)},
        )  # fmt: skip
    return see_other(f"/admin/cohorts/{cohort_id}?done=renamed")


def _delete_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    cohort_id: Id,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    cohort = cohorts.get_cohort(session=session, actor=user, cohort_id=cohort_id)
    return render_page(
        request,
        "programmes/cohort_delete.html",
        status_code,
        cohort=cohort,
        member_count=repository.count_members(session, cohort_id=cohort_id),
        cycle_count=repository.count_cycles(session, cohort_id=cohort_id),
        run_count=repository.count_run_cycles(session, cohort_id=cohort_id),
        error=error,
        flash=None,
        max_name=MAX_NAME_LENGTH,
    )


@router.get("/cohorts/{cohort_id:id}/delete", response_class=HTMLResponse)
def confirm_delete_page(
    cohort_id: Id, request: Request, user: PageUser, session: SessionDep
) -> Response:
    """What deleting would remove, and the confirm button (or why it is refused)."""
    return _delete_page(request, user, session, cohort_id)


@router.post("/cohorts/{cohort_id:id}/delete", response_class=HTMLResponse)
def delete_cohort(
    cohort_id: Id, request: Request, user: PageUser, session: SessionDep, version: FormVersion
) -> Response:
    try:
        cohorts.delete_cohort(
            session=session, actor=user, cohort_id=cohort_id, expected_version=version
        )
    except (VersionConflict, CohortInUse) as exc:
        return _delete_page(request, user, session, cohort_id, status_code=409, error=exc.detail)
    return see_other("/admin/cohorts?done=deleted")
