"""The participant's page of a feedback request: whom they asked, how far each got.

``/assessments/{id}/feedback`` shows the request of an assessment (or the
form to start one): each invitation's address, group and status (invited,
started, submitted, cancelled), never an answer; buttons to resend or
cancel an invitation, close the request, and a form to invite more. Open to
the participant, their assigned coach and admins (404 otherwise), as the
service decides. Every action is a plain form post with the version it was
based on (409 page when stale) and comes back here (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.accounts.models import User
from app.core import i18n
from app.core.config import get_settings
from app.core.deps import SessionDep
from app.core.exceptions import InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.pages import FormFields, done_flash, render_page, see_other
from app.core.types import Id, parse_bounded_int
from app.feedback import service
from app.feedback.models import COMMENT_MAX_LENGTH, MAX_INVITATIONS, MESSAGE_MAX_LENGTH
from app.feedback.service import RaterIn, RequestState

router = APIRouter(tags=["pages"], include_in_schema=False)

#: Empty rater rows the form offers at once (more: send, then invite more).
FORM_ROWS = 8
DONE = {
    "started": N_("Your feedback request is open: each rater got their own link by email."),
    "invited": N_("The new raters got their links by email."),
    "resent": N_("A new link went out; the old one no longer works."),
    "cancelled": N_("The invitation was withdrawn; its link no longer works."),
    "closed": N_("The request is closed: links no longer take answers."),
}


def _path(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}/feedback"


def raters_from_form(fields: dict[str, str]) -> list[RaterIn]:
    """The filled rows of the form (``email.N``, ``group.N``); blank rows are skipped."""
    raters = []
    message = fields.get("message") or None
    for n in range(MAX_INVITATIONS):
        email = fields.get(f"email.{n}", "").strip()
        if email:
            raters.append(RaterIn(email=email, group=fields.get(f"group.{n}", ""), message=message))
    return raters


def _version(fields: dict[str, str]) -> int:
    version = parse_bounded_int(fields.get("version", ""), lo=1, hi=2**31 - 1)
    if version is None:
        raise InvalidInput(N_("The form is incomplete: reload the page and try again"))
    return version


def _show(
    request: Request,
    session: SessionDep,
    user: User,
    assessment_id: int,
    *,
    status_code: int = 200,
    error: InvalidInput | None = None,
    fields: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    state = service.find_request_of(session=session, user=user, assessment_id=assessment_id)
    errors: dict[str, str] = {}
    for problem in (error.errors or []) if error is not None else []:
        loc = problem.get("loc", [])
        if len(loc) >= 4 and loc[1] == "raters":
            errors[f"{loc[3]}.{loc[2]}"] = problem["msg"]
        elif loc:
            errors[str(loc[-1])] = problem["msg"]
    context: dict[str, Any] = {
        "assessment_id": assessment_id,
        "state": state,
        "groups": get_settings().feedback_group_labels,
        "rows": FORM_ROWS,
        "fields": fields or {},
        "errors": errors,
        "error": error.detail if error is not None else None,
        "default_due": (date.today() + timedelta(days=14)).isoformat(),
        "message_max": MESSAGE_MAX_LENGTH,
        "comment_max": COMMENT_MAX_LENGTH,
        "flash": done_flash(done, DONE),
    }
    return render_page(request, "feedback/request.html", status_code, **context)


@router.get("/assessments/{assessment_id:id}/feedback", response_class=HTMLResponse)
def request_page(
    assessment_id: Id, request: Request, session: SessionDep, user: PageUser, done: str = ""
) -> Response:
    return _show(request, session, user, assessment_id, done=done)


@router.post("/assessments/{assessment_id:id}/feedback", response_class=HTMLResponse)
def start_or_invite(
    assessment_id: Id, request: Request, session: SessionDep, user: PageUser, fields: FormFields
) -> Response:
    """Start the request (first raters, due date, message) or invite more into it."""
    existing = service.find_request_of(session=session, user=user, assessment_id=assessment_id)
    try:
        if existing is None:
            due = i18n.parse_date_in(i18n.locale_of_request(request), fields.get("due_date", ""))
            if due is None:
                raise InvalidInput(
                    N_("The due date is not a date"),
                    errors=[field_error(["body", "due_date"], N_("must be a date"), "date")],
                )
            service.start_request(
                session=session,
                user=user,
                assessment_id=assessment_id,
                due_date=due,
                message=fields.get("message") or None,
                raters=raters_from_form(fields),
            )
            return see_other(_path(assessment_id) + "?done=started")
        service.invite_raters(
            session=session,
            user=user,
            request_id=existing.id,
            expected_version=_version(fields),
            raters=raters_from_form(fields),
        )
    except InvalidInput as invalid:
        # Nothing was written (the service validates first): show the form with what was typed.
        return _show(
            request, session, user, assessment_id, status_code=422, error=invalid, fields=fields
        )
    return see_other(_path(assessment_id) + "?done=invited")


def _state(session: SessionDep, user: User, assessment_id: int) -> RequestState:
    state = service.find_request_of(session=session, user=user, assessment_id=assessment_id)
    if state is None:
        raise NotFound("Feedback request not found")
    return state


@router.post("/assessments/{assessment_id:id}/feedback/close")
def close(assessment_id: Id, session: SessionDep, user: PageUser, fields: FormFields) -> Response:
    state = _state(session, user, assessment_id)
    service.close_request(
        session=session, user=user, request_id=state.id, expected_version=_version(fields)
    )
    return see_other(_path(assessment_id) + "?done=closed")


def _on_invitation(
    change: Callable[..., object],
    done: str,
    *,
    session: SessionDep,
    user: User,
    assessment_id: int,
    invitation_id: int,
    fields: dict[str, str],
) -> Response:
    """Resend or cancel one invitation of this assessment's request (404 for any other one)."""
    state = _state(session, user, assessment_id)
    if invitation_id not in {i.id for i in state.invitations}:
        raise NotFound("Invitation not found")
    change(
        session=session, user=user, invitation_id=invitation_id, expected_version=_version(fields)
    )
    return see_other(_path(assessment_id) + f"?done={done}")


@router.post("/assessments/{assessment_id:id}/feedback/invitations/{invitation_id:id}/resend")
def resend(
    assessment_id: Id, invitation_id: Id, session: SessionDep, user: PageUser, fields: FormFields
) -> Response:
    return _on_invitation(
        service.resend_invitation, "resent", session=session, user=user,
        assessment_id=assessment_id, invitation_id=invitation_id, fields=fields,
    )  # fmt: skip


@router.post("/assessments/{assessment_id:id}/feedback/invitations/{invitation_id:id}/cancel")
def cancel(
    assessment_id: Id, invitation_id: Id, session: SessionDep, user: PageUser, fields: FormFields
) -> Response:
    return _on_invitation(
        service.cancel_invitation, "cancelled", session=session, user=user,
        assessment_id=assessment_id, invitation_id=invitation_id, fields=fields,
    )  # fmt: skip
