"""JSON API of cohorts, members, cycles and cycle progress.

Admins manage everything (404 for anyone else); a cycle's progress is also
readable by the coaches of its members, who see their own members' rows
only. Every list is cursor-paginated: ``?after=<next_cursor>&limit=n``, the
body's ``next_cursor`` and an RFC 8288 ``Link: <...>; rel="next"`` header
while there is a next page. Cohorts are versioned (``ETag``, ``If-Match`` or
``version``; 409 when stale).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep, SettingsDep
from app.core.pagination import PageQuery
from app.core.timeutils import utcnow
from app.core.types import Id
from app.core.versioning import VersionedUpdate, set_etag
from app.programmes import cohorts, cycles, progress, repository, roster
from app.programmes.models import Cohort
from app.programmes.schemas import (
    CohortCreate,
    CohortOut,
    CohortPage,
    CohortUpdate,
    CycleCreate,
    CycleOut,
    CyclePage,
    MemberIn,
    MemberOut,
    MemberPage,
    ProgressOut,
    RosterIn,
    RosterOut,
    Stage,
)

router = APIRouter(prefix="/api/v1", tags=["programmes"])

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Stale version; body.current is the current cohort"}
}


def _cohort(cohort: Cohort, response: Response) -> CohortOut:
    set_etag(response, cohort.version)
    return CohortOut.of(cohort)


@router.get("/cohorts", response_model=CohortPage)
def list_cohorts(
    user: CurrentUser,
    session: SessionDep,
    paging: PageQuery,
) -> CohortPage:
    """Cohorts by name."""
    page = cohorts.list_cohorts(
        session=session,
        actor=user,
        after=paging.cursor(repository.COHORTS_SCOPE),
        limit=paging.limit,
    )
    return CohortPage(items=paging.items(page, CohortOut.of), next_cursor=page.next_cursor)


@router.post("/cohorts", response_model=CohortOut, status_code=status.HTTP_201_CREATED)
def create_cohort(
    body: CohortCreate, user: CurrentUser, session: SessionDep, response: Response
) -> CohortOut:
    cohort = cohorts.create_cohort(
        session=session, actor=user, name=body.name, description=body.description
    )
    return _cohort(cohort, response)


@router.get("/cohorts/{cohort_id}", response_model=CohortOut)
def get_cohort(
    cohort_id: Id, user: CurrentUser, session: SessionDep, response: Response
) -> CohortOut:
    return _cohort(cohorts.get_cohort(session=session, actor=user, cohort_id=cohort_id), response)


@router.patch("/cohorts/{cohort_id}", response_model=CohortOut, responses=CONFLICT)
def update_cohort(
    cohort_id: Id,
    body: CohortUpdate,
    user: CurrentUser,
    session: SessionDep,
    write: VersionedUpdate,
) -> CohortOut:
    """Rename or re-describe the cohort."""
    cohort = cohorts.update_cohort(
        session=session,
        actor=user,
        cohort_id=cohort_id,
        expected_version=write.expected(body),
        name=body.name,
        description=body.description,
    )
    return write.answer(cohort.version, CohortOut.of(cohort))


@router.delete("/cohorts/{cohort_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_cohort(cohort_id: Id, user: CurrentUser, session: SessionDep) -> None:
    """The cohort, its members and its cycles; the assessments stay their owners'."""
    cohorts.delete_cohort(session=session, actor=user, cohort_id=cohort_id)


@router.get("/cohorts/{cohort_id}/members", response_model=MemberPage)
def list_members(
    cohort_id: Id,
    user: CurrentUser,
    session: SessionDep,
    paging: PageQuery,
) -> MemberPage:
    """Members in the order they were added, each with their coach."""
    page = cohorts.list_members(
        session=session,
        actor=user,
        cohort_id=cohort_id,
        after=paging.cursor(repository.members_scope(cohort_id)),
        limit=paging.limit,
    )
    people = cohorts.people_of(session=session, members=page.items)
    items = paging.items(page, lambda member: MemberOut.of(member, people))
    return MemberPage(items=items, next_cursor=page.next_cursor)


@router.put("/cohorts/{cohort_id}/members/{user_id}", response_model=MemberOut)
def put_member(
    cohort_id: Id, user_id: Id, body: MemberIn, user: CurrentUser, session: SessionDep
) -> MemberOut:
    """Add a participant with their coach, or change a member's coach (idempotent)."""
    member = cohorts.add_member(
        session=session, actor=user, cohort_id=cohort_id, user_id=user_id, coach_id=body.coach_id
    )
    return MemberOut.of(member, cohorts.people_of(session=session, members=[member]))


@router.delete("/cohorts/{cohort_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_member(cohort_id: Id, user_id: Id, user: CurrentUser, session: SessionDep) -> None:
    cohorts.remove_member(session=session, actor=user, cohort_id=cohort_id, user_id=user_id)


@router.post("/cohorts/{cohort_id}/members/import", response_model=RosterOut)
def import_members(
    cohort_id: Id, body: RosterIn, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> RosterOut:
    """Bulk add from CSV (``email,name,coach``). ``confirm: false`` (the default) is the dry
    run: what would be invited, added, assigned, and one error per bad row and column.
    ``confirm: true`` imports it, or nothing (422) when any row is bad."""
    if not body.confirm:
        plan = roster.preview_roster(
            session=session, actor=user, cohort_id=cohort_id, text=body.csv
        )
        return RosterOut.of(plan, confirmed=False)
    plan = roster.apply_roster(
        session=session,
        actor=user,
        cohort_id=cohort_id,
        text=body.csv,
        invitation_ttl=timedelta(hours=settings.invitation_ttl_hours),
    )
    return RosterOut.of(plan, confirmed=True)


@router.get("/cycles", response_model=CyclePage)
def list_cycles(
    user: CurrentUser,
    session: SessionDep,
    paging: PageQuery,
    cohort_id: Annotated[Id | None, Query()] = None,
) -> CyclePage:
    """Cycles, newest opening first (of one cohort with ``cohort_id``)."""
    page = cycles.list_cycles(
        session=session,
        actor=user,
        cohort_id=cohort_id,
        after=paging.cursor(repository.cycles_scope(cohort_id)),
        limit=paging.limit,
    )
    return CyclePage(items=paging.items(page, CycleOut.of), next_cursor=page.next_cursor)


@router.post("/cycles", response_model=CycleOut, status_code=status.HTTP_201_CREATED)
def create_cycle(body: CycleCreate, user: CurrentUser, session: SessionDep) -> CycleOut:
    """A draft cycle; it opens at ``opens_at`` (the hourly job) or when opened by hand."""
    cycle = cycles.create_cycle(
        session=session,
        actor=user,
        cohort_id=body.cohort_id,
        name=body.name,
        rubric_id=body.rubric_id,
        rubric_version=body.rubric_version,
        opens_at=body.opens_at,
        closes_at=body.closes_at,
        accept_late=body.accept_late,
        review_deadline=body.review_deadline,
        feedback_phase=body.feedback_phase,
        reminder_days=body.reminder_days,
    )
    return CycleOut.of(cycle)


@router.get("/cycles/{cycle_id}", response_model=CycleOut)
def get_cycle(cycle_id: Id, user: CurrentUser, session: SessionDep) -> CycleOut:
    return CycleOut.of(cycles.get_cycle(session=session, actor=user, cycle_id=cycle_id))


@router.post(
    "/cycles/{cycle_id}/open",
    response_model=CycleOut,
    responses={409: {"description": "The cycle is not a draft"}},
)
def open_cycle(cycle_id: Id, user: CurrentUser, session: SessionDep) -> CycleOut:
    """Open now: each member's assessment is created and they are mailed a link."""
    cycle = cycles.open_cycle(session=session, actor=user, cycle_id=cycle_id, now=utcnow())
    return CycleOut.of(cycle)


@router.post(
    "/cycles/{cycle_id}/close",
    response_model=CycleOut,
    responses={409: {"description": "The cycle is not open"}},
)
def close_cycle(cycle_id: Id, user: CurrentUser, session: SessionDep) -> CycleOut:
    cycle = cycles.close_cycle(session=session, actor=user, cycle_id=cycle_id, now=utcnow())
    return CycleOut.of(cycle)


@router.get("/cycles/{cycle_id}/progress", response_model=ProgressOut)
def cycle_progress(
    cycle_id: Id,
    user: CurrentUser,
    session: SessionDep,
    paging: PageQuery,
    stage: Annotated[Stage | None, Query()] = None,
    coach_id: Annotated[Id | None, Query()] = None,
) -> ProgressOut:
    """Per member (invited / started / submitted / reviewed, coach) and per coach (counts).
    Admins see everyone; a coach sees their own members only."""
    board = progress.cycle_dashboard(
        session=session,
        actor=user,
        cycle_id=cycle_id,
        after=paging.cursor(repository.participations_scope(cycle_id)),
        limit=paging.limit,
        stage=stage,
        coach_id=coach_id,
    )
    paging.link(board.next_cursor)
    return ProgressOut.of(board)
