"""Team insights: who may see which figures of which group, and the figures.

* An admin sees the whole cohort, every figure and the heatmap.
* A coach sees the members assigned to them in the cohort (``coach_id``), the
  same figures computed over those members only.
* A programme lead (``Role.lead``) sees aggregates only: never the heatmap,
  never a group of fewer than ``STEPWISE_MIN_GROUP_SIZE`` members, and the
  suppression rules of :mod:`app.programmes.insights` on every figure.
* Anyone else gets 404 (the cohort is not theirs), as for a cohort that
  does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.core import i18n
from app.core.config import get_settings
from app.core.exceptions import Forbidden, NotFound
from app.core.pagination import Page, decode_cursor
from app.programmes import insights_repository as queries
from app.programmes import repository
from app.programmes.insights import (
    Audience,
    BehaviorRef,
    Change,
    Distributions,
    Heatmap,
    Source,
    shape_change,
    shape_distributions,
    shape_heatmap,
)
from app.programmes.models import Cohort, Cycle
from app.rubrics.schemas import NOT_YET, Rubric
from app.rubrics.service import get_rubric_version_by_pk, rubric_of

WHAT = "Cycle"


@dataclass(frozen=True, slots=True)
class Viewer:
    """How one person looks at one cohort: whose figures, and how much of them."""

    audience: Audience
    #: Only these coach's members (a coach); ``None``: the whole cohort.
    coach_id: int | None


@dataclass(frozen=True, slots=True)
class CycleScope:
    cohort: Cohort
    cycle: Cycle
    rubric: Rubric
    rubric_id: str
    rubric_version: str
    behaviors: tuple[BehaviorRef, ...]
    viewer: Viewer

    @property
    def levels(self) -> tuple[int, ...]:
        """Every level order a behavior can have, 0 ("Not yet") first."""
        return (0, *(level.order for level in self.rubric.ordered_levels))

    def level_name(self, order: int, locale: str = i18n.SOURCE_LOCALE) -> str:
        """The rubric's name of level ``order``; "Not yet" (order 0) in ``locale``."""
        if any(level.order == order for level in self.rubric.levels):
            return self.rubric.level_name(order)
        return i18n.gettext(locale, NOT_YET)


def viewer_of(*, session: Session, user: User, cohort_id: int) -> Viewer:
    """The viewer ``user`` is for the cohort, or 404 when they may see nothing of it."""
    if user.has_role(Role.admin):
        return Viewer(Audience.individual, None)
    if (
        user.has_role(Role.coach)
        and user.id is not None
        and repository.is_coach_in_cohort(session, cohort_id=cohort_id, coach_id=user.id)
    ):
        return Viewer(Audience.individual, user.id)
    if user.has_role(Role.lead):
        return Viewer(Audience.aggregate, None)
    raise NotFound(f"{WHAT} not found")


def behaviors_of(rubric: Rubric) -> tuple[BehaviorRef, ...]:
    return tuple(
        BehaviorRef(b.id, b.name, c.id, c.name) for c in rubric.competencies for b in c.behaviors
    )


def cycle_scope(*, session: Session, user: User, cycle_id: int) -> CycleScope:
    """The cycle, its cohort and rubric, and how ``user`` sees them; 404 when not theirs."""
    cycle = repository.get_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound(f"{WHAT} not found")
    viewer = viewer_of(session=session, user=user, cohort_id=cycle.cohort_id)
    cohort = repository.get_cohort(session, cycle.cohort_id)
    if cohort is None:  # pragma: no cover - the foreign key cascades
        raise NotFound(f"{WHAT} not found")
    version = get_rubric_version_by_pk(session=session, pk=cycle.rubric_version_id)
    rubric = rubric_of(version)
    return CycleScope(
        cohort=cohort,
        cycle=cycle,
        rubric=rubric,
        rubric_id=version.rubric_id,
        rubric_version=version.version,
        behaviors=behaviors_of(rubric),
        viewer=viewer,
    )


def _minimum() -> int:
    return get_settings().min_group_size


def _checked_size(session: Session, scope: CycleScope, source: Source) -> int:
    """The group's size; 403 for a lead when it is under the minimum."""
    assert scope.cycle.id is not None
    size = queries.group_size(
        session, cycle_id=scope.cycle.id, source=source, coach_id=scope.viewer.coach_id
    )
    if scope.viewer.audience is Audience.aggregate and size < _minimum():
        raise Forbidden(
            f"This group has too few members with levels to show aggregates "
            f"(at least {_minimum()} are needed)"
        )
    return size


def get_distributions(
    *, session: Session, user: User, cycle_id: int, source: Source
) -> tuple[CycleScope, Distributions]:
    """Members per level of each behavior, mean, median, strongest and weakest (3 statements)."""
    scope = cycle_scope(session=session, user=user, cycle_id=cycle_id)
    size = _checked_size(session, scope, source)
    counts = queries.level_counts(
        session, cycle_id=cycle_id, source=source, coach_id=scope.viewer.coach_id
    )
    return scope, shape_distributions(
        behaviors=scope.behaviors,
        levels=scope.levels,
        counts=counts,
        group_size=size,
        source=source,
        audience=scope.viewer.audience,
        minimum=_minimum(),
    )


def previous_cycle(*, session: Session, cycle: Cycle) -> Cycle | None:
    """The cohort's cycle opened just before ``cycle`` (on the same rubric), if any."""
    earlier: Cycle | None = None
    for other in repository.cycles_of_cohort(session, cohort_id=cycle.cohort_id):
        if other.id == cycle.id:
            return earlier
        earlier = other
    return None


def get_change(
    *, session: Session, user: User, cycle_id: int, source: Source
) -> tuple[CycleScope, Cycle | None, Change]:
    """Per behavior, the median and mean shift since the previous cycle (members in both)."""
    scope = cycle_scope(session=session, user=user, cycle_id=cycle_id)
    _checked_size(session, scope, source)
    before = previous_cycle(session=session, cycle=scope.cycle)
    shifts = (
        queries.shift_counts(
            session,
            cycle_id=cycle_id,
            previous_cycle_id=before.id,
            source=source,
            coach_id=scope.viewer.coach_id,
        )
        if before is not None and before.id is not None
        else []
    )
    return (
        scope,
        before,
        shape_change(
            behaviors=scope.behaviors,
            shifts=shifts,
            source=source,
            audience=scope.viewer.audience,
            minimum=_minimum(),
        ),
    )


def get_heatmap(
    *,
    session: Session,
    user: User,
    cycle_id: int,
    source: Source,
    after: str | None,
    limit: int,
) -> tuple[CycleScope, Heatmap, str | None]:
    """One page of members x behaviors and the next page's cursor; 404 for a lead.

    A heatmap row is one person's levels: an aggregates-only viewer never
    gets one, whatever the group's size.
    """
    scope = cycle_scope(session=session, user=user, cycle_id=cycle_id)
    if scope.viewer.audience is Audience.aggregate:
        raise NotFound("Heatmap not found: it shows individuals, and your role sees aggregates")
    cursor = decode_cursor(after, scope=queries.heatmap_scope(cycle_id, source))
    page: Page[Any] = queries.heatmap_members(
        session,
        cycle_id=cycle_id,
        source=source,
        coach_id=scope.viewer.coach_id,
        after=cursor,
        limit=limit,
    )
    rows = list(page.items)
    users = accounts.users_by_ids(session=session, ids=[row.user_id for row in rows])
    by_assessment = {row.assessment_id: row.member_id for row in rows if row.assessment_id}
    levels = queries.levels_of_assessments(
        session, assessment_ids=list(by_assessment), source=source
    )
    heatmap = shape_heatmap(
        behaviors=scope.behaviors,
        members=[
            (row.member_id, users[row.user_id].display_name if row.user_id in users else "?")
            for row in rows
        ],
        levels=[(by_assessment[a], b, lv) for a, b, lv in levels],
        source=source,
    )
    return scope, heatmap, page.next_cursor
