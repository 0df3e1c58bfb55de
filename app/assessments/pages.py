"""HTML pages of the self-assessment: home, questionnaire, review, results, comparison.

Each route parses its input, calls one function of :mod:`app.assessments.views`
(or :mod:`app.assessments.section_form`, or the service) and renders a
template or redirects. Every page works without JavaScript: a questionnaire
section is a plain form post that saves and redirects to the next section
(post/redirect/get); ``static/js/questionnaire.js`` only adds autosave on top.

Who sees what (through the service and :mod:`app.accounts.policy`): the home,
questionnaire, review and submit pages are the participant's own; results and
comparisons also open for their assigned coaches and admins. Anyone else gets
404, like an id that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.assessments import result_views, service, views
from app.assessments.section_form import parse_section_form, save_section
from app.core.deps import SessionDep
from app.core.pages import FormFields, render_page, see_other
from app.core.types import Id, Version, parse_bounded_int

router = APIRouter(prefix="/assessments", tags=["pages"], include_in_schema=False)

#: The name of the reports module's ``GET /api/v1/assessments/{assessment_id}/report.pdf``.
REPORT_ROUTE = "report_pdf"
#: More sections than any rubric has; a ``section`` query or ``go`` button beyond it is refused.
MAX_SECTION = 10_000


def report_url(request: Request, assessment_id: int) -> str:
    """The PDF report's URL (the reports domain's ``report_pdf`` route)."""
    return str(request.app.url_path_for(REPORT_ROUTE, assessment_id=str(assessment_id)))


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: PageUser) -> Response:
    """A participant's assessments, a way to start one, and their latest results."""
    return render_page(
        request, "assessments/home.html", view=views.home_view(session=session, user=user)
    )


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
    view = result_views.compare_view(session=session, user=user, a=a, b=b)
    return render_page(request, "assessments/compare.html", view=view)


@router.get("/{assessment_id:id}", response_class=HTMLResponse)
def questionnaire(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    section: Annotated[int, Query(ge=1, le=MAX_SECTION)] = 1,
) -> Response:
    """One section (key behavior) of the questionnaire; a submitted one shows its results."""
    view = views.questionnaire_view(
        session=session, user=user, assessment_id=assessment_id, section=section
    )
    if view.state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    return render_page(request, "assessments/questionnaire.html", view=view)


@router.post("/{assessment_id:id}", response_class=HTMLResponse)
def save_section_form(
    request: Request, session: SessionDep, user: PageUser, assessment_id: Id, form: FormFields
) -> Response:
    """No-JS save of one section, then on to where the pressed button points (PRG).

    Conflicting answers (see :mod:`app.assessments.section_form`) show the
    section again with a message instead of redirecting.
    """
    post = parse_section_form(form)
    saved = save_section(session=session, user=user, assessment_id=assessment_id, post=post)
    if saved.state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    if saved.again is not None:
        return render_page(
            request, "assessments/questionnaire.html", status.HTTP_409_CONFLICT, view=saved.again
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
    view = views.review_view(session=session, user=user, assessment_id=assessment_id)
    if view.state.assessment.is_submitted:
        return see_other(f"/assessments/{assessment_id}/results")
    return render_page(request, "assessments/review.html", view=view)


@router.post("/{assessment_id:id}/submit", response_class=HTMLResponse)
def submit(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    version: Annotated[Version, Form()],
) -> Response:
    """Submit; refused (422) with the list of missing items on the review page."""
    outcome = views.submit_from_review(
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


@router.get("/{assessment_id:id}/results", response_class=HTMLResponse)
def results(request: Request, session: SessionDep, user: PageUser, assessment_id: Id) -> Response:
    """Levels, the radar chart and the development path; in progress -> the review page."""
    view = result_views.results_view(session=session, user=user, assessment_id=assessment_id)
    if view is None:
        return see_other(f"/assessments/{assessment_id}/review")
    return render_page(
        request,
        "assessments/results.html",
        view=view,
        pdf_url=report_url(request, assessment_id),
        # The finalized coach review's shared parts (coaching domain), or None.
        shared_review=view.shared_review,
    )
