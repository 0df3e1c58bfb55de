"""The coach assignments admin page: cursor pages of the pairs by coach, a refused
tampered cursor, and a statement count that does not grow with the installation."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from app.accounts import admin
from app.accounts.models import Role, User
from tests.fixtures.factories import UserFactory
from tests.fixtures.queries import count_statements
from tests.fixtures.web import Browser

NEXT = re.compile(r'href="(?P<href>[^"]+)" rel="next"')
PAIR = re.compile(r'name="participant_id" value="(?P<id>\d+)"')


def _assigned(session: Session, make_user: UserFactory, n: int, prefix: str) -> User:
    """An admin, two coaches and ``n`` participants, each assigned to one of the coaches."""
    boss = make_user(Role.admin, email=f"{prefix}-boss@example.test")
    coaches = [make_user(Role.coach, email=f"{prefix}-coach{c}@example.test") for c in range(2)]
    for i in range(n):
        person = make_user(email=f"{prefix}-p{i:03d}@example.test")
        admin.assign(
            session=session,
            actor=boss,
            coach_id=coaches[i % 2].id or 0,
            participant_id=person.id or 0,
        )
    session.commit()
    return boss


def _unassign_ids(html: str) -> list[int]:
    """The participant of each "Unassign" form (the assign form's select has no value=)."""
    return [int(m.group("id")) for m in PAIR.finditer(html)]


def test_every_assignment_exactly_once_across_pages(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session
) -> None:
    boss = _assigned(session, make_user, 57, "w")
    browser = browser_for(boss)
    seen: list[int] = []
    url: str | None = "/admin/assignments"
    pages = 0
    while url is not None:
        response = browser.get(url)
        assert response.status_code == 200
        seen += _unassign_ids(response.text)
        found = NEXT.search(response.text)
        url = found.group("href").replace("&amp;", "&") if found else None
        pages += 1
        assert pages < 10, "the walk does not end"
    assert pages == 2
    assert len(seen) == 57 and len(set(seen)) == 57


def test_a_tampered_cursor_is_a_422_that_does_not_echo_it(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session
) -> None:
    boss = _assigned(session, make_user, 52, "t")
    browser = browser_for(boss)
    first = browser.get("/admin/assignments")
    found = NEXT.search(first.text)
    assert found
    cursor = found.group("href").split("after=", 1)[1]
    body, mac = cursor.split(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    for bad in (tampered, "nonsense-cursor", cursor + "x"):
        response = browser.get("/admin/assignments", params={"after": bad})
        assert response.status_code == 422, bad
        assert bad not in response.text
    # A cursor of another list (the people page) is refused too.
    people = browser.get("/admin")
    other = NEXT.search(people.text)
    assert other
    response = browser.get(other.group("href").replace("/admin?", "/admin/assignments?"))
    assert response.status_code == 422


def test_one_page_costs_the_same_statements_with_5_and_60_assignments(
    session: Session, make_user: UserFactory
) -> None:
    def measure(n: int) -> int:
        boss = _assigned(session, make_user, n, f"n{n}")
        session.expunge_all()
        with count_statements(session) as counted:
            overview = admin.assignment_overview(session=session, actor=boss, after=None, limit=50)
        assert overview.pairs and overview.coaches and overview.participants
        return counted.count

    assert measure(5) == measure(60)
