"""HTML pages of the self-assessment: home, questionnaire, review, comparison.

The home page (``/assessments``) shows what the coach shared, so, like the
results page, it is composed one layer up, in :mod:`app.coaching.home_page`.
Each route parses its input, calls the service (or a no-JS post of
:mod:`app.assessments.forms`), builds the page model with
:mod:`app.assessments.page_models` and renders a template or redirects. The
results page (``/assessments/{id}/results``) shows the shared coach review
too, so it is composed one layer up, in :mod:`app.coaching.results_page`.
Every page works without JavaScript: a questionnaire section is a plain form
post that saves and redirects to the next section (post/redirect/get);
``static/js/questionnaire.js`` only adds autosave on top.

Submitting is final, so it takes a confirm step: the review page lists what
is unanswered; once everything is, it leads to ``/confirm``, which previews
the levels the answers would give (scored without storing anything) above
the one submit button.

When a newer version of the rubric exists, the questionnaire offers the move
in a banner (what is kept, what must be answered anew) whose no-JS form posts
``/{id}/upgrade`` (:mod:`app.assessments.upgrade_service`); after a move it
lists and marks the new or changed items still unanswered.

Who sees what (through the service and :mod:`app.accounts.policy`): the home,
questionnaire, review, confirm, submit and upgrade pages are the participant's own; results and
comparisons also open for their assigned coaches and admins. Anyone else gets
404, like an id that does not exist.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.assessments import forms, page_models, role_service, service, upgrade_service
from app.assessments.localized import localized_state
from app.assessments.result_page_models import build_compare
from app.assessments.state import AssessmentState
from app.assessments.upgrade_page_models import (
    UpgradeView,
    build_upgrade_view,
    first_section_to_answer,
)
from app.core.deps import SessionDep
from app.core.exceptions import Conflict
from app.core.i18n import N_, locale_of_request
from app.core.pages import FormFields, done_flash, render_page, see_other
from app.core.types import Id, parse_bounded_int
from app.core.versioning import FormVersion, VersionConflict

router = APIRouter(prefix="/assessments", tags=["pages"], include_in_schema=False)

#: More sections than any rubric has; a ``section`` query or ``go`` button beyond it is refused.
MAX_SECTION = 10_000


@router.post("/new")
def start(
    session: SessionDep, user: PageUser, rubric_id: Annotated[str, Form(max_length=64)]
) -> Response:
    state = service.create_assessment(session=session, user=user, rubric_id=rubric_id)
    return see_other(f"/assessments/{state.id}")


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    session: SessionDep,
    user: PageUser,
    a: Annotated[Id, Query()],
    b: Annotated[Id, Query()],
) -> Response:
    """Levels per behavior of two submitted assessments, side by side."""
    older, newer = (
        _shown(request, session, state)
        for state in service.get_comparison(session=session, user=user, a=a, b=b)
    )
    return render_page(request, "assessments/compare.html", view=build_compare(older, newer))


def _shown(request: Request, session: SessionDep, state: AssessmentState) -> AssessmentState:
    """The state with its rubric in the page's locale (docs/rubric-format.md, Translations)."""
    return localized_state(session=session, state=state, locale=locale_of_request(request))


def _own(
    request: Request, session: SessionDep, user: PageUser, assessment_id: int
) -> AssessmentState:
    """The participant's own assessment, as the page shows it (see :func:`_shown`)."""
    state = service.get_own_assessment(session=session, user=user, assessment_id=assessment_id)
    return _shown(request, session, state)


@router.get("/{assessment_id:id}", response_class=HTMLResponse)
def questionnaire(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    section: Annotated[int, Query(ge=1, le=MAX_SECTION)] = 1,
    done: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """One section (key behavior) of the questionnaire; a submitted one shows its results.

    When a newer version of the rubric exists, a banner offers the move (see
    :mod:`app.assessments.upgrade_page_models`)."""
    state = service.get_own_assessment(session=session, user=user, assessment_id=assessment_id)
    if state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    shown = _shown(request, session, state)
    view = page_models.build_questionnaire(
        shown, section, upgrade=_upgrade_view(session, state, shown=shown)
    )
    flash = done_flash(done, UPGRADE_DONE)
    return render_page(request, "assessments/questionnaire.html", view=view, flash=flash)


UPGRADE_DONE = {"upgraded": N_("Your assessment now uses the newest version of the rubric.")}


def _upgrade_view(
    session: SessionDep,
    state: AssessmentState,
    error: str | None = None,
    *,
    shown: AssessmentState | None = None,
) -> UpgradeView:
    """The questionnaire's banner (a newer version exists) and notice (after a move).

    The plan compares item texts as written (``state``); the banner names
    them as the page shows them (``shown``, in the page's locale).
    """
    offer = upgrade_service.own_upgrade_offer(session=session, state=state).plan
    moved = upgrade_service.changes_since_upgrade(session=session, state=state)
    return build_upgrade_view(shown or state, offer=offer, moved=moved, error=error)


@router.post("/{assessment_id:id}/upgrade", response_class=HTMLResponse)
def upgrade(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    version: FormVersion,
) -> Response:
    """No-JS move to the rubric's current version (the banner's form), then to the first
    section with something to answer anew. A stale page shows the fresh offer again (409)."""
    state = service.get_own_assessment(session=session, user=user, assessment_id=assessment_id)
    if state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    try:
        outcome = upgrade_service.upgrade_assessment(
            session=session, user=user, assessment_id=assessment_id, expected_version=version
        )
    except VersionConflict as conflict:
        fresh: AssessmentState = conflict.state
        if fresh.assessment.is_submitted:
            return see_other(f"/assessments/{assessment_id}/results")
        stale = N_("This assessment changed in another tab or device: check what moving does now.")
        shown = _shown(request, session, fresh)
        view = page_models.build_questionnaire(
            shown, 1, upgrade=_upgrade_view(session, fresh, error=stale, shown=shown)
        )
        return render_page(
            request, "assessments/questionnaire.html", status.HTTP_409_CONFLICT, view=view
        )
    except Conflict:  # already on the current version: nothing to do
        return see_other(f"/assessments/{assessment_id}")
    number = first_section_to_answer(outcome.state, outcome.plan)
    return see_other(f"/assessments/{assessment_id}?section={number}&done=upgraded")


@router.post("/{assessment_id:id}", response_class=HTMLResponse)
def save_section_form(
    request: Request, session: SessionDep, user: PageUser, assessment_id: Id, form: FormFields
) -> Response:
    """No-JS save of one section, then on to where the pressed button points (PRG).

    Conflicting answers (see :mod:`app.assessments.forms`) show the
    section again with a message instead of redirecting.
    """
    post = forms.parse_section_form(form)
    saved = forms.save_section(session=session, user=user, assessment_id=assessment_id, post=post)
    if saved.state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    if saved.again is not None:
        view = replace(saved.again, upgrade=_upgrade_view(session, saved.state))
        return render_page(
            request, "assessments/questionnaire.html", status.HTTP_409_CONFLICT, view=view
        )
    go = form.get("go", "stay")
    if go == "review":
        return see_other(f"/assessments/{assessment_id}/review")
    target = {"next": post.section + 1, "prev": post.section - 1}.get(go)
    if target is None:
        target = parse_bounded_int(go, lo=1, hi=MAX_SECTION) or post.section
    return see_other(f"/assessments/{assessment_id}?section={max(target, 1)}")


@router.get("/{assessment_id:id}/review", response_class=HTMLResponse)
def review(request: Request, session: SessionDep, user: PageUser, assessment_id: Id) -> Response:
    """Unanswered items (linking to them) and the submit button."""
    state = _own(request, session, user, assessment_id)
    if state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    return render_page(request, "assessments/review.html", view=page_models.build_review(state))


@router.get("/{assessment_id:id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, session: SessionDep, user: PageUser, assessment_id: Id) -> Response:
    """The confirm step: the levels these answers would give, and the final submit button.

    Nothing is stored: the answers are scored for the preview only. With
    answers still missing there is nothing to confirm: back to the review.
    """
    state = _own(request, session, user, assessment_id)
    if state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    if state.missing:
        return see_other(f"/assessments/{assessment_id}/review")
    return render_page(request, "assessments/confirm.html", view=page_models.build_confirm(state))


@router.post("/{assessment_id:id}/submit", response_class=HTMLResponse)
def submit(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    version: FormVersion,
) -> Response:
    """Submit (from the confirm page); refused (422) with the missing items on the review page."""
    outcome = forms.submit_from_review(
        session=session, user=user, assessment_id=assessment_id, expected_version=version
    )
    if outcome.review is not None:
        return render_page(
            request,
            "assessments/review.html",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            view=outcome.review,
        )
    return see_other(f"/assessments/{assessment_id}/results")


@router.post("/{assessment_id:id}/role")
def choose_role(
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    version: FormVersion,
    role_id: Annotated[str, Form(max_length=64)] = "",
    role_only: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The role select of the questionnaire's first section and of the results (PRG).

    An empty ``role_id`` clears the role; a ticked ``role_only`` limits the
    questionnaire to it (refused once submitted, see the role service).
    """
    state = role_service.choose_role(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expected_version=version,
        role_id=role_id.strip() or None,
        role_only=bool(role_only),
    )
    if state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    return see_other(f"/assessments/{assessment_id}")
