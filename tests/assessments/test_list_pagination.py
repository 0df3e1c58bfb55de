"""A participant's assessment lists page with cursors: every row once, a status filter, the
``Link`` header, a cursor of another list refused, and a page's statements do not grow."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts import admin
from app.accounts.models import Role, User
from app.assessments import service
from tests.fixtures.api import Api
from tests.fixtures.assessments import make_assessment
from tests.fixtures.factories import UserFactory
from tests.fixtures.pagination import next_url, walk
from tests.fixtures.queries import count_statements

ApiFor = Callable[[User], Api]


def _drafts(session: Session, user: User, n: int) -> list[int]:
    ids = [
        make_assessment(session=session, user=user, answers=None, submit=False).id for _ in range(n)
    ]
    session.commit()
    return ids


def test_my_assessments_walk_once_each_stable_under_inserts(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    me = make_user()
    before = _drafts(session, me, 7)
    added: list[int] = []

    def insert(_: int) -> None:
        added.extend(_drafts(session, me, 1))  # newest: sorts after the cursor, so it is seen

    pages = walk(api_for(me), "/assessments?limit=3", between=insert)
    ids = [a["id"] for page in pages for a in page]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids) and set(before + added) == set(ids)
    assert [len(p) for p in pages][:2] == [3, 3]


def test_status_filter_link_header_and_the_coach_view(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    boss, coach, me = make_user(Role.admin), make_user(Role.coach), make_user()
    admin.assign(session=session, actor=boss, coach_id=coach.id or 0, participant_id=me.id or 0)
    _drafts(session, me, 3)
    make_assessment(session=session, user=me, answers=None, submit=False)
    session.commit()
    url = f"/participants/{me.id}/assessments"
    first = api_for(coach).call("GET", url, params={"limit": 2, "status": "in_progress"})
    assert first.status_code == 200 and len(first.json()) == 2
    assert (
        first.headers["Link"].endswith('>; rel="next"')
        and "status=in_progress" in first.headers["Link"]
    )
    rest = api_for(coach).call("GET", next_url(first.headers) or "")
    assert len(rest.json()) == 2 and "Link" not in rest.headers
    assert api_for(me).ok("GET", "/assessments", params={"status": "submitted"}) == []
    bad = api_for(me).call("GET", "/assessments", params={"status": "lost"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "status"]
    # Someone else's list stays a 404, cursor or not.
    stranger = make_user()
    session.commit()
    assert api_for(stranger).call("GET", url).status_code == 404


def test_a_cursor_of_another_list_or_edited_is_a_located_422(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    me, other = make_user(), make_user()
    _drafts(session, me, 2)
    _drafts(session, other, 2)
    first = api_for(other).call("GET", "/assessments?limit=1")
    cursor = first.headers["Link"].split("after=")[1].split(">")[0]
    for bad in (cursor, cursor[:-3] + "abc"):
        response = api_for(me).call("GET", "/assessments", params={"after": bad})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["query", "after"]


def test_one_page_costs_the_same_statements_with_5_and_60_assessments(
    session: Session, make_user: UserFactory
) -> None:
    def measure(n: int) -> int:
        me = make_user()
        _drafts(session, me, n)
        service.page_assessments_for(
            session=session, user=me, participant_id=me.id or 0, after=None, limit=50
        )  # warm the parsed rubric
        session.expunge_all()
        session.add(me)
        with count_statements(session) as counted:
            page = service.page_assessments_for(
                session=session, user=me, participant_id=me.id or 0, after=None, limit=50
            )
        assert len(page.items) == min(n, 50)
        return counted.count

    assert measure(5) == measure(60)
