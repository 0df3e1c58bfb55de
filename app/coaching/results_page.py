"""The participant's results page, ``/assessments/{id}/results``: results plus the shared review.

The page belongs to the participant's assessment, but it also shows the
newest finalized coach review, so it is composed here, one layer above
assessments (which must not import coaching): the assessments service and
its pure builder (:func:`app.assessments.result_page_models.build_results`)
give the levels and charts, :func:`app.coaching.service.shared_review_for`
the review as a :class:`~app.coaching.state.SharedReview`, a type with no
field for private notes. The URL and the template
(``assessments/results.html``) are the assessments pages' own.

Once a review is finalized the page tells the PDF's story
(:func:`app.coaching.outlook.build_outlook`): the agreed level, the target,
self/coach/target overlays, the plan in the PDF's order. A coach (or admin)
viewing the page also sees the participant's answers per behavior; the
participant does not need them (they gave them).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.assessments import service as assessments
from app.assessments.localized import localized_state
from app.assessments.result_page_models import build_results
from app.coaching.feedback_results import feedback_beside_review
from app.coaching.outlook import build_outlook
from app.coaching.page_models import answers_by_behavior
from app.coaching.service import shared_review_for
from app.core import i18n
from app.core.deps import SessionDep
from app.core.i18n import locale_of_request
from app.core.pages import render_page, see_other
from app.core.timeutils import utcnow
from app.core.types import Id
from app.feedback.page_models import build_feedback_view

router = APIRouter(prefix="/assessments", tags=["pages"], include_in_schema=False)

#: The name of the reports module's ``GET /api/v1/assessments/{assessment_id}/report.pdf``.
REPORT_ROUTE = "report_pdf"


def report_url(request: Request, assessment_id: int) -> str:
    """The PDF report's URL (the reports domain's ``report_pdf`` route)."""
    return str(request.app.url_path_for(REPORT_ROUTE, assessment_id=str(assessment_id)))


@router.get("/{assessment_id:id}/results", response_class=HTMLResponse)
def results(request: Request, session: SessionDep, user: PageUser, assessment_id: Id) -> Response:
    """Levels, the radar chart and the development path; in progress -> the review page.

    For the owner, their assigned coaches and admins (the assessments service checks).
    """
    state = localized_state(
        session=session,
        state=assessments.get_assessment_for(
            session=session, user=user, assessment_id=assessment_id
        ),
        locale=locale_of_request(request),
    )
    history = assessments.list_assessments_for(
        session=session, user=user, participant_id=state.assessment.participant_id
    )
    locale = i18n.locale_of_request(request)
    view = build_results(state, history, locale)
    if view is None:
        return see_other(f"/assessments/{assessment_id}/review")
    shared = shared_review_for(session=session, user=user, assessment=state.summary)
    own = state.assessment.participant_id == user.id
    return render_page(
        request,
        "assessments/results.html",
        view=view,
        outlook=build_outlook(view, shared, today=utcnow().date(), locale=locale),
        answers=None if own else answers_by_behavior(view.rubric, state.responses),
        pdf_url=report_url(request, assessment_id),
        shared_review=shared,
        feedback=build_feedback_view(
            feedback_beside_review(session=session, state=state, shared=shared), locale
        ),
    )
