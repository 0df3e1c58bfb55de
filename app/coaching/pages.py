"""HTML pages of coaching: the coach's home, a participant's overview, the review workspace.

Each route parses its input, calls the service (or a no-JS post of
:mod:`app.coaching.forms`), builds the page model with
:mod:`app.coaching.page_models` and renders a template or redirects. (The
participant's results page, which shows the shared review, is
:mod:`app.coaching.results_page`.) Everything works
without JavaScript: the workspace is one form whose buttons save (and add a
plan action, or rate the unrated behaviors) with a post/redirect/get;
``static/js/review.js`` adds autosave through the JSON API on top.

Who sees what is decided by the service (:mod:`app.accounts.policy`): the
workspace and overview pages are the assigned coach's (or an admin's); a
participant opening a review link is sent to their results page, where the
finalized, shared parts are shown; anyone else gets 404.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.assessments.localized import localized_state
from app.coaching import forms, overview, plan, service
from app.coaching.feedback_results import coach_levels_of
from app.coaching.page_models import (
    answers_by_behavior,
    build_participant_page,
    build_workspace,
)
from app.coaching.state import Audience, ReviewState
from app.core.deps import SessionDep
from app.core.i18n import locale_of_request
from app.core.pages import FormFields, render_page, see_other
from app.core.pagination import DEFAULT_LIMIT
from app.core.timeutils import utcnow
from app.core.types import Id
from app.core.versioning import FormVersion
from app.feedback.page_models import build_feedback_view
from app.feedback.results import feedback_results_of
from app.rubrics.translation_service import with_rubric_for_locale

router = APIRouter(prefix="/coaching", tags=["pages"], include_in_schema=False)

_RESULTS_PATH = re.compile(r"^/assessments/[0-9]+/results$")


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: PageUser, after: str = "") -> Response:
    """The coach's assigned participants by name, a page at a time, with their latest
    assessment and sessions in progress."""
    page = overview.list_coachees(session=session, user=user, after=after, limit=DEFAULT_LIMIT)
    return render_page(request, "coaching/home.html", lines=page.items, page=page, base="/coaching")


@router.get("/participants/{participant_id:id}", response_class=HTMLResponse)
def participant(
    request: Request, session: SessionDep, user: PageUser, participant_id: Id
) -> Response:
    """One participant: assessments (with a way to review them), sessions, growth."""
    view = overview.get_participant_overview(
        session=session, user=user, participant_id=participant_id
    )
    page = build_participant_page(view, today=utcnow().date())
    return render_page(request, "coaching/participant.html", view=view, page=page)


@router.post("/assessments/{assessment_id:id}/review")
def open_review(session: SessionDep, user: PageUser, assessment_id: Id) -> Response:
    """Open the session in progress on an assessment, or start one."""
    state = service.open_review(session=session, user=user, assessment_id=assessment_id)
    return see_other(f"/coaching/reviews/{state.id}")


def _shown(request: Request, session: SessionDep, state: ReviewState) -> ReviewState:
    """The review with its rubric in the page's locale (docs/rubric-format.md, Translations)."""
    return with_rubric_for_locale(
        state, session=session, version=state.rubric_version, locale=locale_of_request(request)
    )


@router.get("/reviews/{review_id:id}", response_class=HTMLResponse)
def review(request: Request, session: SessionDep, user: PageUser, review_id: Id) -> Response:
    """The review workspace (read-only once finalized). A participant goes to their results."""
    state, answered = service.get_review_with_answers(
        session=session, user=user, review_id=review_id
    )
    if answered is None:  # the participant
        return see_other(f"/assessments/{state.assessment.id}/results#coach-review")
    locale = locale_of_request(request)
    state = _shown(request, session, state)
    answered = localized_state(session=session, state=answered, locale=locale)
    view = build_workspace(
        state,
        answers=answers_by_behavior(state.rubric, answered.responses),
        today=utcnow().date(),
    )
    feedback = feedback_results_of(
        session=session, state=answered, coach_levels=coach_levels_of(state.ratings)
    )
    return render_page(
        request, "coaching/review.html", view=view, feedback=build_feedback_view(feedback)
    )


@router.post("/reviews/{review_id:id}", response_class=HTMLResponse)
def save_review_form(
    request: Request, session: SessionDep, user: PageUser, review_id: Id, form: FormFields
) -> Response:
    """No-JS save of the whole workspace, plus what the pressed button asked (PRG)."""
    outcome = forms.save_workspace(session=session, user=user, review_id=review_id, form=form)
    if outcome.again is not None:
        return render_page(request, "coaching/review.html", outcome.status_code, view=outcome.again)
    assert outcome.redirect is not None
    return see_other(outcome.redirect)


@router.get("/reviews/{review_id:id}/finalize", response_class=HTMLResponse)
def confirm_finalize(
    request: Request, session: SessionDep, user: PageUser, review_id: Id
) -> Response:
    """What finalizing will share with the participant, and the button that does it."""
    state = _shown(
        request, session, service.get_review(session=session, user=user, review_id=review_id)
    )
    if state.audience is Audience.participant or state.is_final:
        return see_other(f"/coaching/reviews/{review_id}")
    return render_page(request, "coaching/finalize.html", view=build_workspace(state))


@router.post("/reviews/{review_id:id}/finalize", response_class=HTMLResponse)
def finalize(
    request: Request,
    session: SessionDep,
    user: PageUser,
    review_id: Id,
    version: FormVersion,
) -> Response:
    outcome = forms.finalize_from_page(
        session=session, user=user, review_id=review_id, version=version
    )
    if outcome.again is not None:
        return render_page(
            request, "coaching/finalize.html", outcome.status_code, view=outcome.again
        )
    assert outcome.redirect is not None
    return see_other(outcome.redirect)


@router.post("/plan-actions/{action_id:id}/status")
def set_action_status(
    session: SessionDep,
    user: PageUser,
    action_id: Id,
    version: FormVersion,
    status_: Annotated[str, Form(alias="status", max_length=16)],
    next_: Annotated[str, Form(alias="next", max_length=200)] = "",
) -> Response:
    """A participant updates the status of one of their actions (from the results page)."""
    entry = plan.set_action_status(
        session=session, user=user, action_id=action_id, expected_version=version, status=status_
    )
    target = f"/assessments/{entry.action.assessment_id}/results#your-plan"
    if _RESULTS_PATH.match(next_):
        target = next_ + "#your-plan"
    return see_other(target)
