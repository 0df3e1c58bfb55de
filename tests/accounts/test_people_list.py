"""The admin people list, API and page: cursor pages by email, a prefix filter, the
``Link`` header, a refused tampered cursor and a statement count that does not grow."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts import admin
from app.accounts.models import Role, User
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.fixtures.pagination import next_url, walk
from tests.fixtures.queries import count_statements
from tests.fixtures.web import Browser

ApiFor = Callable[[User], Api]


def _people(make_user: UserFactory, n: int, prefix: str = "p") -> list[User]:
    return [make_user(email=f"{prefix}{i:03d}@example.test") for i in range(n)]


def test_every_person_exactly_once_across_pages_even_with_inserts(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    boss = make_user(Role.admin, email="a-boss@example.test")
    people = _people(make_user, 7)
    session.commit()
    api = api_for(boss)

    def insert(n: int) -> None:
        # One before the cursor (not seen: it sorts earlier) and one after it (seen).
        make_user(email=f"a{n}-early@example.test")
        make_user(email=f"z{n}-late@example.test")
        session.commit()

    pages = walk(api, "/users?limit=3", between=insert)
    emails = [p["email"] for page in pages for p in page]
    assert len(emails) == len(set(emails)), "no one twice"
    assert emails == sorted(emails), "by email"
    assert {u.email for u in [boss, *people]} <= set(emails), "everyone there at the start"
    assert all(len(page) <= 3 for page in pages) and len(pages) >= 3
    assert any(e.startswith("z") for e in emails)


def test_the_link_header_and_the_prefix_filter(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    boss = make_user(Role.admin, email="boss@example.test")
    _people(make_user, 3, prefix="team-")
    _people(make_user, 2, prefix="other-")
    session.commit()
    api = api_for(boss)
    first = api.call("GET", "/users", params={"limit": 2, "email_prefix": "Team-"})
    assert first.status_code == 200 and isinstance(first.json(), list)
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "email_prefix=Team-" in link and "limit=2" in link
    rest = api.call("GET", next_url(first.headers) or "")
    assert "Link" not in rest.headers
    found = [p["email"] for p in first.json() + rest.json()]
    assert found == [f"team-{i:03d}@example.test" for i in range(3)]
    assert api.ok("GET", "/users", params={"email_prefix": "nobody"}) == []


def test_a_tampered_cursor_is_a_located_422(
    api_for: ApiFor, make_user: UserFactory, session: Session
) -> None:
    boss = make_user(Role.admin)
    _people(make_user, 3)
    session.commit()
    api = api_for(boss)
    cursor = api.call("GET", "/users?limit=1").headers["Link"].split("after=")[1].split(">")[0]
    body, mac = cursor.split(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    for bad in (tampered, "nonsense", cursor + "x"):
        response = api.call("GET", "/users", params={"after": bad})
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["query", "after"]
        assert bad not in response.text
    # Limits are explicit: below 1 (or above the most) is refused the same way.
    assert api.call("GET", "/users", params={"limit": 0}).status_code == 422


def test_one_page_costs_the_same_statements_with_5_and_60_people(
    session: Session, make_user: UserFactory
) -> None:
    def measure(n: int) -> int:
        boss = make_user(Role.admin)
        coach = make_user(Role.coach)
        people = _people(make_user, n, prefix=f"n{n}-")
        for person in people:
            admin.assign(
                session=session, actor=boss, coach_id=coach.id or 0, participant_id=person.id or 0
            )
        session.commit()
        session.expunge_all()
        with count_statements(session) as counted:
            page = admin.list_users(
                session=session, actor=boss, after=None, limit=50, email_prefix=f"n{n}-"
            )
        assert page.items and all(d.coaches for d in page.items)
        return counted.count

    assert measure(5) == measure(60)


def test_the_people_page_has_a_next_page_and_a_filter(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session
) -> None:
    boss = make_user(Role.admin, email="boss@example.test")
    _people(make_user, 55)
    session.commit()
    browser = browser_for(boss)
    first = browser.get("/admin")
    assert first.status_code == 200 and 'rel="next"' in first.text
    assert "p000@example.test" in first.text and "p054@example.test" not in first.text
    href = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = browser.get(href.replace("&amp;", "&"))
    assert "p054@example.test" in second.text and 'rel="next"' not in second.text
    filtered = browser.get("/admin?email_prefix=p05")
    assert "p050@example.test" in filtered.text and "p049@example.test" not in filtered.text
    assert browser.get("/admin?after=forged").status_code == 422
