"""The team insights page of a cohort: heatmap, distributions, change, and the exports.

``/cohorts/{cohort_id}/insights?cycle=<id>&source=self|coach&after=<cursor>``:
one cycle of the cohort (the newest when none is named), whose levels
(the members' own or their coaches'). The self/coach toggle and the cycle
choice are plain GET forms of buttons, so they work without JavaScript and
with the keyboard alone (Tab, then Space or Enter). The heatmap scrolls
inside its own box on a narrow screen, never the page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.accounts.deps import PageUser
from app.core.config import get_settings
from app.core.deps import SessionDep
from app.core.exceptions import Forbidden, NotFound
from app.core.pages import render_page
from app.core.pagination import MAX_CURSOR_LENGTH
from app.core.types import Id
from app.programmes import insights_service as service
from app.programmes import repository
from app.programmes.insights import Audience, Source
from app.programmes.insights_routes import HEATMAP_LIMIT

router = APIRouter(tags=["pages"], include_in_schema=False)

CycleQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
AfterPageQuery = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)]


@router.get("/cohorts/{cohort_id:id}/insights", response_class=HTMLResponse)
def insights_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    cohort_id: Id,
    cycle: CycleQuery = None,
    source: Source = Source.self,
    after: AfterPageQuery = None,
) -> HTMLResponse:
    """Heatmap (one page of at most 100 members), distributions and change of one cycle."""
    viewer = service.viewer_of(session=session, user=user, cohort_id=cohort_id)
    cohort = repository.get_cohort(session, cohort_id)
    if cohort is None:
        raise NotFound("Cohort not found")
    cycles = repository.cycles_of_cohort(session, cohort_id=cohort_id)
    chosen = next((c for c in cycles if c.id == cycle), None) if cycle else None
    if cycle is not None and chosen is None:
        raise NotFound("Cycle not found")
    chosen = chosen or (cycles[-1] if cycles else None)
    context: dict[str, Any] = {
        "cohort": cohort,
        "cycles": cycles,
        "cycle": chosen,
        "source": source,
        "sources": list(Source),
        "aggregate": viewer.audience is Audience.aggregate,
        "too_small": None,
        "heatmap": None,
        "next_cursor": None,
        "distributions": None,
        "change": None,
        "previous": None,
        "scope": None,
    }
    if chosen is not None and chosen.id is not None:
        try:
            scope, distributions = service.get_distributions(
                session=session, user=user, cycle_id=chosen.id, source=source
            )
            _, previous, change = service.get_change(
                session=session, user=user, cycle_id=chosen.id, source=source
            )
        except Forbidden:
            # The page says why in its own words (and plural): the group is under the minimum.
            context["too_small"] = get_settings().min_group_size
        else:
            context.update(
                scope=scope, distributions=distributions, change=change, previous=previous
            )
            if viewer.audience is Audience.individual:
                _, heatmap, next_cursor = service.get_heatmap(
                    session=session,
                    user=user,
                    cycle_id=chosen.id,
                    source=source,
                    after=after,
                    limit=HEATMAP_LIMIT,
                )
                context.update(heatmap=heatmap, next_cursor=next_cursor)
    return render_page(request, "programmes/insights.html", **context)
