"""The participant's home, ``/assessments``: their assessments plus what their coach shared.

Like the results page (:mod:`app.coaching.results_page`), the home belongs to
the assessments pages (URL, template ``assessments/home.html``, the pure
:func:`app.assessments.page_models.build_home`) but shows coaching too -- a
"your coach shared a plan" signal once a review is finalized, with the plan's
open and overdue actions -- so it is composed here, one layer above
assessments. Everything shown comes from :class:`~app.coaching.state.SharedReview`
(no private-notes field), for the participant's own assessments only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import PageUser
from app.assessments.home_service import my_home
from app.assessments.page_models import HomeView, build_home
from app.coaching.calibration import agreed_competency_level, level_label
from app.coaching.outlook import CLOSED_STATUSES, is_overdue
from app.coaching.service import shared_review_for
from app.coaching.state import SharedReview
from app.core.deps import SessionDep
from app.core.pages import render_page
from app.core.pagination import MAX_CURSOR_LENGTH
from app.core.timeutils import as_utc, utcnow
from app.rubrics.service import list_current_rubrics

router = APIRouter(prefix="/assessments", tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class SharedPlan:
    """A finalized review on one of the participant's latest assessments, for the home."""

    assessment_id: int
    assessment_name: str
    review: SharedReview
    #: Actions neither done nor dropped.
    open_actions: int
    overdue: int
    #: The agreed (coach) level and its name per competency id, where every behavior is rated.
    agreed: dict[str, tuple[int, str]]

    @property
    def finalized_at(self) -> datetime | None:
        return self.review.review.finalized_at


@dataclass(frozen=True)
class ParticipantHome:
    home: HomeView
    #: Newest review first; empty until a coach finalizes one.
    shared: list[SharedPlan]

    def agreed_levels(self, assessment_id: int) -> dict[str, tuple[int, str]]:
        """The agreed competency levels of an assessment's shared review (empty without one)."""
        for plan in self.shared:
            if plan.assessment_id == assessment_id:
                return plan.agreed
        return {}

    @property
    def reviewed(self) -> bool:
        """After a review the main button leads to the plan, not to a new questionnaire."""
        return bool(self.shared)


def shared_plan(review: SharedReview, name: str, today: date) -> SharedPlan:
    """The signal of one finalized review: how many actions are open and overdue."""
    return SharedPlan(
        assessment_id=review.assessment.id,
        assessment_name=name,
        review=review,
        open_actions=sum(1 for e in review.plan if e.action.status not in CLOSED_STATUSES),
        overdue=sum(1 for e in review.plan if is_overdue(e, today)),
        agreed=agreed_levels(review),
    )


def agreed_levels(review: SharedReview) -> dict[str, tuple[int, str]]:
    """Per competency, the level the coach's ratings give it (the PDF's rule)."""
    agreed: dict[str, tuple[int, str]] = {}
    for competency in review.rubric.competencies:
        rows = [r for r in review.rows if r.competency.id == competency.id]
        level = agreed_competency_level(review.rubric, [r.coach_level for r in rows])
        if level is not None:
            agreed[competency.id] = (level, level_label(review.rubric, level))
    return agreed


@router.get("", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    user: PageUser,
    after: Annotated[str, Query(max_length=MAX_CURSOR_LENGTH)] = "",
) -> Response:
    """A participant's assessments (one page), a way to start one, latest results and plans.

    The history is a cursor page; the latest results are read apart (one
    assessment per rubric), and there is one shared-review lookup per rubric
    with a submitted assessment, not per assessment.
    """
    data = my_home(session=session, user=user, after=after)
    view = build_home(
        data.history, data.latest, list_current_rubrics(session=session), data.preferred_rubric
    )
    today = utcnow().date()
    shared = []
    for latest in view.latest:
        summary = latest.summary
        review = shared_review_for(session=session, user=user, assessment=summary)
        if review is not None:
            shared.append(shared_plan(review, summary.name, today))
    shared.sort(key=lambda s: as_utc(s.finalized_at) if s.finalized_at else utcnow(), reverse=True)
    return render_page(
        request, "assessments/home.html", view=view, coaching=ParticipantHome(view, shared)
    )
