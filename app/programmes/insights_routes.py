"""JSON API of team insights: a cycle's distributions, change and heatmap pages.

Who sees what is the service's business (:mod:`app.programmes.insights_service`):
admins everything, a coach their own members, a programme lead aggregates of
groups of at least ``STEPWISE_MIN_GROUP_SIZE`` (403 below it, 404 for the
heatmap), anyone else 404. The heatmap is paginated (at most 100 members a
page) with a cursor and the ``Link: <...>; rel="next"`` header.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep
from app.core.pagination import AfterQuery, LimitQuery, set_next_link
from app.core.types import Id
from app.programmes import insights_service as service
from app.programmes.insights import Change, Distributions, Heatmap, Source

router = APIRouter(prefix="/api/v1/cycles/{cycle_id}/insights", tags=["insights"])

SourceQuery = Annotated[
    Source, Query(description="Whose levels: the participants' own (self) or their coach's")
]
HEATMAP_LIMIT = 100


class CycleRef(BaseModel):
    id: int
    name: str
    cohort_id: int
    rubric_id: str
    rubric_version: str


class DistributionsOut(BaseModel):
    cycle: CycleRef
    #: Level order -> name, for the columns of ``counts``.
    level_names: dict[int, str]
    distributions: Distributions


class ChangeOut(BaseModel):
    cycle: CycleRef
    previous_cycle: CycleRef | None
    change: Change


class HeatmapOut(BaseModel):
    cycle: CycleRef
    heatmap: Heatmap
    next_cursor: str | None


def _ref(scope: service.CycleScope) -> CycleRef:
    assert scope.cycle.id is not None
    return CycleRef(
        id=scope.cycle.id,
        name=scope.cycle.name,
        cohort_id=scope.cycle.cohort_id,
        rubric_id=scope.rubric_id,
        rubric_version=scope.rubric_version,
    )


@router.get("/distribution", response_model=DistributionsOut)
def distribution(
    cycle_id: Id, user: CurrentUser, session: SessionDep, source: SourceQuery = Source.self
) -> DistributionsOut:
    """Members per level of each behavior, mean and median, the strongest and weakest."""
    scope, shaped = service.get_distributions(
        session=session, user=user, cycle_id=cycle_id, source=source
    )
    return DistributionsOut(
        cycle=_ref(scope),
        level_names={order: scope.level_name(order) for order in scope.levels},
        distributions=shaped,
    )


@router.get("/change", response_model=ChangeOut)
def change(
    cycle_id: Id, user: CurrentUser, session: SessionDep, source: SourceQuery = Source.self
) -> ChangeOut:
    """Per behavior, the median and mean shift of the members in this and the previous cycle."""
    scope, previous, shaped = service.get_change(
        session=session, user=user, cycle_id=cycle_id, source=source
    )
    before = None
    if previous is not None and previous.id is not None:
        before = CycleRef(
            id=previous.id,
            name=previous.name,
            cohort_id=previous.cohort_id,
            rubric_id=scope.rubric_id,
            rubric_version=scope.rubric_version,
        )
    return ChangeOut(cycle=_ref(scope), previous_cycle=before, change=shaped)


@router.get("/heatmap", response_model=HeatmapOut)
def heatmap(
    cycle_id: Id,
    user: CurrentUser,
    session: SessionDep,
    request: Request,
    response: Response,
    source: SourceQuery = Source.self,
    after: AfterQuery = None,
    limit: LimitQuery = HEATMAP_LIMIT,
) -> HeatmapOut:
    """One page of members x behaviors (levels); never for an aggregates-only role."""
    scope, shaped, next_cursor = service.get_heatmap(
        session=session, user=user, cycle_id=cycle_id, source=source, after=after, limit=limit
    )
    set_next_link(response, request, next_cursor)
    return HeatmapOut(cycle=_ref(scope), heatmap=shaped, next_cursor=next_cursor)
