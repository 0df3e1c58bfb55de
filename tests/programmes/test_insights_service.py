"""Team insights over a real database: figures, who sees what, statement counts."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts.models import Role, User
from app.core.exceptions import Forbidden, NotFound
from app.programmes import insights_service as insights
from app.programmes.insights import Source
from tests.fixtures.factories import UserFactory
from tests.fixtures.insights import Group, add_cycle, add_member, new_group, take_part
from tests.fixtures.queries import count_statements

#: (planning, review) self levels of six members, by hand:
#: planning 0,1,2,2,3,3 -> counts {0:1,1:1,2:2,3:2}, mean 11/6, median 2
#: review   0,1,1,3,3,0 -> counts {0:2,1:2,3:2},     mean 8/6,  median 1
SIX = [(0, 0), (1, 1), (2, 1), (2, 3), (3, 3), (3, 0)]


def _cohort(
    session: Session, make_user: UserFactory, levels: list[tuple[int, int]], coach: User | None
) -> Group:
    group = new_group(session)
    cycle_id = add_cycle(session, group)
    for i, (planning, review) in enumerate(levels):
        member = make_user()
        # the coach (if any) is assigned the first three members only
        mine = coach if coach is not None and i < 3 else None
        add_member(session, group, member, coach=mine)
        take_part(session, cycle_id, member, planning=planning, review=review)
    session.commit()
    return group


def _counts(distributions: insights.Distributions, behavior_id: str) -> list[int | None]:
    row = next(r for r in distributions.behaviors if r.behavior.id == behavior_id)
    return [c.count for c in row.counts]


def test_an_admin_gets_the_hand_computed_distribution(
    session: Session, make_user: UserFactory
) -> None:
    group = _cohort(session, make_user, SIX, None)
    admin = make_user(Role.admin)
    _, shaped = insights.get_distributions(
        session=session, user=admin, cycle_id=group.cycle_ids[0], source=Source.self
    )
    assert shaped.group_size == 6 and shaped.levels == (0, 1, 2, 3)
    assert _counts(shaped, "planning") == [1, 1, 2, 2]
    assert _counts(shaped, "review") == [2, 2, 0, 2]
    planning, review = shaped.behaviors
    assert planning.mean == pytest.approx(11 / 6) and planning.median == 2
    assert review.mean == pytest.approx(8 / 6) and review.median == 1
    assert [r.behavior.id for r in shaped.strongest] == ["planning"]
    assert [r.behavior.id for r in shaped.weakest] == ["review"]


def test_a_coach_sees_only_the_members_assigned_to_them(
    session: Session, make_user: UserFactory
) -> None:
    coach = make_user(Role.coach)
    group = _cohort(session, make_user, SIX, coach)
    cycle_id = group.cycle_ids[0]
    _, shaped = insights.get_distributions(
        session=session, user=coach, cycle_id=cycle_id, source=Source.self
    )
    # their members: (0,0), (1,1), (2,1)
    assert shaped.group_size == 3
    assert _counts(shaped, "planning") == [1, 1, 1, 0]
    _, heatmap, next_cursor = insights.get_heatmap(
        session=session, user=coach, cycle_id=cycle_id, source=Source.self, after=None, limit=100
    )
    assert [row.name for row in heatmap.rows] == [m.display_name for m in group.members[:3]]
    assert [dict(row.levels) for row in heatmap.rows] == [
        {"planning": 0, "review": 0},
        {"planning": 1, "review": 1},
        {"planning": 2, "review": 1},
    ]
    assert next_cursor is None
    for outsider in (make_user(Role.coach), make_user(), group.members[0]):
        with pytest.raises(NotFound):
            insights.get_distributions(
                session=session, user=outsider, cycle_id=cycle_id, source=Source.self
            )


def test_a_lead_never_gets_a_group_below_the_minimum_nor_a_heatmap(
    session: Session, make_user: UserFactory
) -> None:
    lead = make_user(Role.lead)
    small = _cohort(session, make_user, SIX[:4], None)
    with pytest.raises(Forbidden):
        insights.get_distributions(
            session=session, user=lead, cycle_id=small.cycle_ids[0], source=Source.self
        )
    with pytest.raises(Forbidden):
        insights.get_change(
            session=session, user=lead, cycle_id=small.cycle_ids[0], source=Source.self
        )
    big = _cohort(session, make_user, SIX, None)
    _, shaped = insights.get_distributions(
        session=session, user=lead, cycle_id=big.cycle_ids[0], source=Source.self
    )
    # six members: every cell is under five, so every non-empty cell is hidden
    assert _counts(shaped, "planning") == [None, None, None, None]
    assert _counts(shaped, "review") == [None, None, 0, None]
    assert shaped.behaviors[0].mean == pytest.approx(11 / 6)
    with pytest.raises(NotFound):
        insights.get_heatmap(
            session=session,
            user=lead,
            cycle_id=big.cycle_ids[0],
            source=Source.self,
            after=None,
            limit=100,
        )


def test_change_since_the_previous_cycle_pairs_the_members_in_both(
    session: Session, make_user: UserFactory
) -> None:
    group = new_group(session)
    first, second = add_cycle(session, group), add_cycle(session, group, weeks_later=26)
    before = [(0, 0), (1, 1), (1, 0), (2, 1)]
    after = [(1, 0), (3, 1), (2, 3)]  # the fourth member skipped the second cycle
    people = [make_user() for _ in before]
    for person, (planning, review) in zip(people, before, strict=True):
        add_member(session, group, person)
        take_part(session, first, person, planning=planning, review=review)
    for person, (planning, review) in zip(people, after, strict=False):
        take_part(session, second, person, planning=planning, review=review)
    session.commit()
    admin = make_user(Role.admin)
    _, previous, change = insights.get_change(
        session=session, user=admin, cycle_id=second, source=Source.self
    )
    assert previous is not None and previous.id == first
    planning, review = change.behaviors
    # planning shifts +1, +2, +1 -> median 1, mean 4/3; review 0, 0, +3 -> median 0, mean 1
    assert (planning.paired, planning.median_shift) == (3, 1)
    assert planning.mean_shift == pytest.approx(4 / 3)
    assert (review.paired, review.median_shift, review.mean_shift) == (3, 0, 1)
    _, none_before, empty = insights.get_change(
        session=session, user=admin, cycle_id=first, source=Source.self
    )
    assert none_before is None and all(row.paired == 0 for row in empty.behaviors)


def test_coach_levels_come_from_the_finalized_review(
    session: Session, make_user: UserFactory
) -> None:
    coach = make_user(Role.coach)
    group = new_group(session)
    cycle_id = add_cycle(session, group)
    for planning, coach_levels in [(0, (1, 1)), (2, (2, 3)), (3, (2, 0))]:
        member = make_user()
        add_member(session, group, member, coach=coach)
        take_part(
            session, cycle_id, member, planning=planning, review=0, coach=coach,
            coach_levels=coach_levels,
        )  # fmt: skip
    session.commit()
    _, shaped = insights.get_distributions(
        session=session, user=coach, cycle_id=cycle_id, source=Source.coach
    )
    assert _counts(shaped, "planning") == [0, 1, 2, 0]
    assert _counts(shaped, "review") == [1, 1, 0, 1]


def test_heatmap_pages_walk_every_member_once(session: Session, make_user: UserFactory) -> None:
    group = _cohort(session, make_user, SIX[:5], None)
    admin = make_user(Role.admin)
    seen: list[int] = []
    token = None
    while True:
        _, heatmap, token = insights.get_heatmap(
            session=session, user=admin, cycle_id=group.cycle_ids[0], source=Source.self,
            after=token, limit=2,
        )  # fmt: skip
        seen += [row.member_id for row in heatmap.rows]
        if token is None:
            break
    assert len(seen) == 5 and len(set(seen)) == 5 and seen == sorted(seen)


def _statements(session: Session, make_user: UserFactory, size: int) -> tuple[int, int]:
    group = _cohort(session, make_user, [SIX[i % 6] for i in range(size)], None)
    admin = make_user(Role.admin)
    cycle_id = group.cycle_ids[0]
    session.expunge_all()
    with count_statements(session) as distribution:
        insights.get_distributions(
            session=session, user=admin, cycle_id=cycle_id, source=Source.self
        )
    session.expunge_all()
    with count_statements(session) as heatmap:
        insights.get_heatmap(
            session=session, user=admin, cycle_id=cycle_id, source=Source.self, after=None,
            limit=100,
        )  # fmt: skip
    return distribution.count, heatmap.count


def test_the_statement_count_is_the_same_at_5_and_50_members(
    session: Session, make_user: UserFactory
) -> None:
    assert _statements(session, make_user, 5) == _statements(session, make_user, 50)
