"""Pages of programmes: cohorts (admins), cycles (admins), a cycle's progress dashboard.

Plain forms, CSRF-checked by the authentication dependency, post/redirect/get
with fixed ``?done=`` notices, no JavaScript. The CSV import is two steps:
the uploaded file is previewed (nothing saved), and the preview's form posts
the same text back to confirm. The dashboard (``/cycles/{id}``) is shown to
admins and to the coaches of the cycle's members (their own rows only), 404
to anyone else.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser, admin_pages_router
from app.core.deps import SessionDep, SettingsDep
from app.core.exceptions import Conflict, InvalidInput, field_error
from app.core.i18n import N_
from app.core.pages import done_flash, refused_form, render_page, see_other
from app.core.pagination import decode_cursor
from app.core.timeutils import utcnow
from app.core.types import Id
from app.programmes import cohorts, cycles, progress, repository, roster
from app.programmes.models import MAX_NAME_LENGTH
from app.programmes.progress_repository import STAGES
from app.rubrics.service import list_current_rubrics

admin = admin_pages_router("/admin")
router = APIRouter(tags=["pages"], include_in_schema=False)

DONE_MESSAGES = {
    "created": N_("Cohort created."),
    "added": N_("Member saved."),
    "removed": N_("Member removed."),
    "imported": N_("The file was imported: new people were invited by email."),
    "cycle": N_("Cycle created. It opens on its date, or open it now."),
    "opened": N_("Cycle opened: each member's assessment is ready and they were emailed."),
    "closed": N_("Cycle closed."),
    "renamed": N_("Cohort renamed."),
    "deleted": N_("Cohort deleted, with its members and draft cycles."),
}
TextField = Annotated[str, Form()]
PAGE_SIZE = 50


# -- cohorts ------------------------------------------------------------------


def _cohorts_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    after: str,
    *,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    page = cohorts.list_cohorts(
        session=session,
        actor=user,
        after=decode_cursor(after, scope=repository.COHORTS_SCOPE),
        limit=PAGE_SIZE,
    )
    return render_page(
        request,
        "programmes/cohorts.html",
        status_code,
        **{"page": page, "errors": {}, "error": None, "flash": None, "name": "", **context},
        max_name=MAX_NAME_LENGTH,
    )


@admin.get("/cohorts", response_class=HTMLResponse)
def cohorts_page(
    request: Request, user: PageUser, session: SessionDep, after: str = "", done: str = ""
) -> Response:
    return _cohorts_page(request, user, session, after, flash=done_flash(done, DONE_MESSAGES))


@admin.post("/cohorts", response_class=HTMLResponse)
def create_cohort(
    request: Request, user: PageUser, session: SessionDep, name: TextField = ""
) -> Response:
    try:
        cohort = cohorts.create_cohort(session=session, actor=user, name=name)
    except (InvalidInput, Conflict) as exc:
        return _cohorts_page(request, user, session, "", name=name, **refused_form(exc))
    return see_other(f"/admin/cohorts/{cohort.id}?done=created")


def cohort_page_response(
    request: Request,
    user: PageUser,
    session: SessionDep,
    cohort_id: int,
    *,
    after: str = "",
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    cohort = cohorts.get_cohort(session=session, actor=user, cohort_id=cohort_id)
    members = cohorts.list_members(
        session=session,
        actor=user,
        cohort_id=cohort_id,
        after=decode_cursor(after, scope=repository.members_scope(cohort_id)),
        limit=PAGE_SIZE,
    )
    cohort_cycles = cycles.list_cycles(
        session=session, actor=user, cohort_id=cohort_id, after=None, limit=PAGE_SIZE
    )
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    defaults = {
        "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
    }
    return render_page(
        request,
        "programmes/cohort.html",
        status_code,
        **{
            "cohort": cohort,
            "members": members,
            "people": cohorts.people_of(session=session, members=members.items),
            "member_count": repository.count_members(session, cohort_id=cohort_id),
            "cycles": cohort_cycles.items,
            "rubrics": list_current_rubrics(session=session),
            "defaults": defaults,
            "limits": {"bytes": roster.MAX_CSV_BYTES // 1024, "rows": roster.MAX_CSV_ROWS},
            "errors": {},
            "error": None,
            "flash": None,
            "plan": None,
            "csv_text": "",
            "import_error": None,
            "cycle_errors": {},
            "cycle_error": None,
            "rename": {"name": cohort.name, "error": None, "errors": {}},
            **context,
        },
    )


@admin.get("/cohorts/{cohort_id:id}", response_class=HTMLResponse)
def cohort_page(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    after: str = "",
    done: str = "",
) -> Response:
    return cohort_page_response(
        request, user, session, cohort_id, after=after, flash=done_flash(done, DONE_MESSAGES)
    )


@admin.post("/cohorts/{cohort_id:id}/members", response_class=HTMLResponse)
def add_member(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    email: TextField = "",
    coach_email: TextField = "",
) -> Response:
    try:
        cohorts.add_member_by_email(
            session=session, actor=user, cohort_id=cohort_id, email=email, coach_email=coach_email
        )
    except (InvalidInput, Conflict) as exc:
        return cohort_page_response(request, user, session, cohort_id, **refused_form(exc))
    return see_other(f"/admin/cohorts/{cohort_id}?done=added")


@admin.post("/cohorts/{cohort_id:id}/members/{user_id:id}/remove")
def remove_member(cohort_id: Id, user_id: Id, user: PageUser, session: SessionDep) -> Response:
    cohorts.remove_member(session=session, actor=user, cohort_id=cohort_id, user_id=user_id)
    return see_other(f"/admin/cohorts/{cohort_id}?done=removed")


@admin.post("/cohorts/{cohort_id:id}/import", response_class=HTMLResponse)
async def preview_import(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step 1: the dry run of the uploaded file (nothing saved)."""
    data = await file.read(roster.MAX_CSV_BYTES + 1) if file is not None else b""
    try:
        text = roster.decode_upload(data)
        plan = roster.preview_roster(session=session, actor=user, cohort_id=cohort_id, text=text)
    except InvalidInput as exc:
        return cohort_page_response(
            request, user, session, cohort_id, status_code=422, import_error=exc.detail
        )
    return cohort_page_response(request, user, session, cohort_id, plan=plan, csv_text=text)


@admin.post("/cohorts/{cohort_id:id}/import/confirm", response_class=HTMLResponse)
def confirm_import(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    csv_text: TextField = "",
) -> Response:
    """Step 2: the previewed text, imported (or nothing, with the errors, if it no longer
    passes)."""
    try:
        roster.apply_roster(
            session=session,
            actor=user,
            cohort_id=cohort_id,
            text=csv_text,
            invitation_ttl=timedelta(hours=settings.invitation_ttl_hours),
        )
    except InvalidInput as exc:
        plan = (
            roster.preview_roster(session=session, actor=user, cohort_id=cohort_id, text=csv_text)
            if exc.errors and exc.errors[0]["loc"] != ["csv"]
            else None
        )
        return cohort_page_response(
            request,
            user,
            session,
            cohort_id,
            status_code=422,
            plan=plan,
            csv_text=csv_text,
            import_error=exc.detail,
        )
    return see_other(f"/admin/cohorts/{cohort_id}?done=imported")


def _local(text: str) -> datetime | None:
    """A ``datetime-local`` field, read as UTC; None when empty or not a date."""
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None
    except ValueError:
        return None


@admin.post("/cohorts/{cohort_id:id}/cycles", response_class=HTMLResponse)
def create_cycle(
    cohort_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    name: TextField = "",
    rubric_id: TextField = "",
    opens_at: TextField = "",
    closes_at: TextField = "",
    review_deadline: TextField = "",
    accept_late: TextField = "",
    feedback_phase: TextField = "",
) -> Response:
    opens, closes = _local(opens_at), _local(closes_at)
    try:
        if opens is None or closes is None:
            raise InvalidInput(
                N_("Give the opening and closing dates"),
                errors=[
                    field_error(["body", field], N_("must be a date and time"), "missing")
                    for field, value in (("opens_at", opens), ("closes_at", closes))
                    if value is None
                ],
            )
        cycle = cycles.create_cycle(
            session=session,
            actor=user,
            cohort_id=cohort_id,
            name=name,
            rubric_id=rubric_id,
            rubric_version=None,
            opens_at=opens,
            closes_at=closes,
            accept_late=bool(accept_late),
            review_deadline=_local(review_deadline),
            feedback_phase=bool(feedback_phase),
        )
    except (InvalidInput, Conflict) as exc:
        return cohort_page_response(
            request, user, session, cohort_id, **refused_form(exc, prefix="cycle_")
        )
    return see_other(f"/cycles/{cycle.id}?done=cycle")


# -- cycles -------------------------------------------------------------------


@admin.get("/cycles", response_class=HTMLResponse)
def cycles_page(request: Request, user: PageUser, session: SessionDep, after: str = "") -> Response:
    page = cycles.list_cycles(
        session=session,
        actor=user,
        cohort_id=None,
        after=decode_cursor(after, scope=repository.cycles_scope(None)),
        limit=PAGE_SIZE,
    )
    return render_page(request, "programmes/cycles.html", page=page)


@admin.post("/cycles/{cycle_id:id}/open")
def open_cycle(cycle_id: Id, user: PageUser, session: SessionDep) -> Response:
    cycles.open_cycle(session=session, actor=user, cycle_id=cycle_id, now=utcnow())
    return see_other(f"/cycles/{cycle_id}?done=opened")


@admin.post("/cycles/{cycle_id:id}/close")
def close_cycle(cycle_id: Id, user: PageUser, session: SessionDep) -> Response:
    cycles.close_cycle(session=session, actor=user, cycle_id=cycle_id, now=utcnow())
    return see_other(f"/cycles/{cycle_id}?done=closed")


@router.get("/cycles/{cycle_id:id}", response_class=HTMLResponse)
def cycle_page(
    cycle_id: Id,
    request: Request,
    user: PageUser,
    session: SessionDep,
    stage: str = "",
    coach: str = "",
    after: str = "",
    done: str = "",
) -> Response:
    """The progress dashboard (admins: everyone; a coach: their own members)."""
    chosen_stage = progress.checked_stage(stage, loc=["query", "stage"])
    coach_id = int(coach) if coach.isdigit() and len(coach) < 10 else None
    board = progress.cycle_dashboard(
        session=session,
        actor=user,
        cycle_id=cycle_id,
        after=decode_cursor(after, scope=repository.participations_scope(cycle_id)),
        limit=PAGE_SIZE,
        stage=chosen_stage,
        coach_id=coach_id,
    )
    return render_page(
        request,
        "programmes/cycle.html",
        board=board,
        stages=STAGES,
        stage=chosen_stage or "",
        coach=coach_id,
        is_admin=board.restricted_to is None,
        cohort=cohorts.load_cohort(session=session, cohort_id=board.cycle.cohort_id),
        rubric=cycles.rubric_version_of(session=session, cycle=board.cycle),
        flash=done_flash(done, DONE_MESSAGES),
    )
