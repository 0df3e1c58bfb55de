"""The rater's pages at ``/feedback/{secret}``: no account, the link is the credential.

One page holds every behavior, grouped by competency, as plain radio
buttons and text areas in one form: it works without JavaScript (the form
posts, saves, and comes back; "Submit" submits). ``js/feedback.js`` adds
autosave on top through ``PATCH /feedback/{secret}/answers`` with the shared
engine (``js/autosave.js``). CSRF: the pre-session double-submit token of
the sign-in forms (a rater has no session), in the form field or the
``X-CSRF-Token`` header.

A link that opens nothing answers the styled 404 (unknown) or 410
(withdrawn, expired, closed), saying nothing of whose it was. Pages are
``no-store`` and carry ``Referrer-Policy: no-referrer`` (the path is the
secret).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.accounts.pages import check_presession_token, presession_page
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import problem_response
from app.core.exceptions import InvalidInput, StepwiseError
from app.core.i18n import N_, locale_of_request
from app.core.pages import FormFields, see_other
from app.core.types import Version, parse_bounded_int
from app.core.versioning import IfMatch, VersionConflict, expected_version, set_etag
from app.feedback import rater
from app.feedback.models import COMMENT_MAX_LENGTH
from app.feedback.rater import AnswersIn, RaterForm
from app.rubrics.translation_service import with_rubric_for_locale

router = APIRouter(prefix="/feedback", tags=["pages"], include_in_schema=False)

#: Form field prefixes: ``c.<behavior id>`` the choice, ``n.<behavior id>`` the comment.
CHOICE, NOTE = "c.", "n."
#: Seconds a behavior takes a rater: read the anchors, pick one, a comment now and then.
SECONDS_PER_BEHAVIOR = 15


def _private(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def minutes_for(form: RaterForm) -> int:
    """An honest upper estimate of the time the whole form takes, in minutes."""
    return max(2, -(-(form.total * SECONDS_PER_BEHAVIOR + 120) // 60))


def _shown(request: Request, session: Session, form: RaterForm) -> RaterForm:
    """The form with its rubric in the rater's locale (they have no account: the request's)."""
    return with_rubric_for_locale(
        form, session=session, version=form.rubric_version, locale=locale_of_request(request)
    )


def _page(
    request: Request,
    settings: Settings,
    secret: str,
    form: RaterForm,
    *,
    status_code: int = 200,
    failure: StepwiseError | None = None,
    posted: AnswersIn | None = None,
    saved: bool = False,
    session: Session,
) -> Response:
    form = _shown(request, session, form)
    if form.submitted:
        return _private(
            presession_page(request, settings, "feedback/thanks.html", form=form, error=None)
        )
    problems = (failure.errors or []) if failure is not None else []
    missing = {str(e["loc"][-1]) for e in problems if e.get("loc")}
    context: dict[str, Any] = {
        "form": form,
        "secret": secret,
        "minutes": minutes_for(form),
        "comment_max": COMMENT_MAX_LENGTH,
        "posted": posted,
        "marked": missing,
        "saved": saved,
        "error": None,
    }
    return _private(
        presession_page(
            request,
            settings,
            "feedback/rater_form.html",
            status_code=status_code,
            failure=failure,
            **context,
        )
    )


@router.get("/{secret}", response_class=HTMLResponse)
def rater_form(
    secret: str, request: Request, session: SessionDep, settings: SettingsDep, saved: int = 0
) -> Response:
    """Public: the rater's form, or the thank-you page once submitted."""
    form = rater.open_rater_form(session=session, secret=secret)
    return _page(request, settings, secret, form, saved=bool(saved), session=session)


def answers_from_form(fields: dict[str, str]) -> AnswersIn:
    """The choices and comments a plain form post carries (unknown ids are the service's)."""
    return AnswersIn(
        choices={k.removeprefix(CHOICE): v for k, v in fields.items() if k.startswith(CHOICE)},
        comments={k.removeprefix(NOTE): v for k, v in fields.items() if k.startswith(NOTE)},
        keep_doing=fields.get("keep_doing"),
        start_doing=fields.get("start_doing"),
    )


@router.post("/{secret}", response_class=HTMLResponse)
def rater_post(
    secret: str, request: Request, session: SessionDep, settings: SettingsDep, fields: FormFields
) -> Response:
    """Without JavaScript: save (``go=save``) or submit (``go=submit``), then back to the page."""
    check_presession_token(request, settings, fields.get("csrf_token", ""))
    version = parse_bounded_int(fields.get("version", ""), lo=1, hi=2**31 - 1)
    form = rater.open_rater_form(session=session, secret=secret)
    if version is None:
        bad = InvalidInput(N_("The form is incomplete: reload the page and try again"))
        return _page(request, settings, secret, form, status_code=422, failure=bad, session=session)
    answers = answers_from_form(fields)
    try:
        if fields.get("go") == "submit":
            outcome = rater.submit_rater_answers(
                session=session, secret=secret, expected_version=version, answers=answers
            )
            if outcome.missing:
                problem = outcome.problem()
                return _page(
                    request,
                    settings,
                    secret,
                    outcome.form,
                    status_code=422,
                    failure=problem,
                    session=session,
                )
            return _private(see_other(f"/feedback/{secret}"))
        rater.save_rater_answers(
            session=session, secret=secret, expected_version=version, answers=answers
        )
    except VersionConflict as conflict:
        fresh = rater.open_rater_form(session=session, secret=secret)
        return _page(
            request,
            settings,
            secret,
            fresh,
            status_code=409,
            failure=conflict,
            posted=answers,
            session=session,
        )
    except InvalidInput as invalid:
        # Nothing was saved: show what was posted again, with the fields marked.
        return _page(
            request,
            settings,
            secret,
            form,
            status_code=422,
            failure=invalid,
            posted=answers,
            session=session,
        )
    return _private(see_other(f"/feedback/{secret}?saved=1#top"))


class AnswersBody(BaseModel):
    """An autosave: only what changed. Choices are level indices as text, ``not_observed``
    or ``""`` (clear); comments at most :data:`COMMENT_MAX_LENGTH` characters."""

    model_config = ConfigDict(extra="forbid")

    version: Version | None = None
    choices: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=16)]] = (
        Field(default_factory=dict, max_length=500)
    )
    comments: dict[
        Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=COMMENT_MAX_LENGTH)]
    ] = Field(default_factory=dict, max_length=500)
    keep_doing: Annotated[str, Field(max_length=COMMENT_MAX_LENGTH)] | None = None
    start_doing: Annotated[str, Field(max_length=COMMENT_MAX_LENGTH)] | None = None
    submit: bool = False


@router.patch("/{secret}/answers")
def rater_autosave(
    secret: str,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[AnswersBody, Body()],
    if_match: IfMatch = None,
) -> Any:
    """With JavaScript: save part of the answers (versioned: 409 when stale), JSON in and out."""
    check_presession_token(request, settings, request.headers.get("X-CSRF-Token", ""))
    version = expected_version(if_match=if_match, body_version=body.version)
    answers = AnswersIn(
        choices=body.choices,
        comments=body.comments,
        keep_doing=body.keep_doing,
        start_doing=body.start_doing,
    )
    if body.submit:
        outcome = rater.submit_rater_answers(
            session=session, secret=secret, expected_version=version, answers=answers
        )
        form = outcome.form
        if outcome.missing:
            failed = problem_response(outcome.problem())
            set_etag(failed, form.version)
            return failed
    else:
        form = rater.save_rater_answers(
            session=session, secret=secret, expected_version=version, answers=answers
        )
    set_etag(response, form.version)
    _private(response)
    return {
        "version": form.version,
        "status": form.invitation.status,
        "answered": form.answered,
        "total": form.total,
    }
