"""A coach's participants, API and home page, one cursor page at a time by name."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts import admin
from app.accounts.models import Role, User
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.fixtures.pagination import walk
from tests.fixtures.web import Browser


def _coach_of(session: Session, make_user: UserFactory, n: int) -> tuple[User, list[User]]:
    boss, coach = make_user(Role.admin), make_user(Role.coach)
    people = [make_user() for _ in range(n)]
    for person in people:
        admin.assign(
            session=session, actor=boss, coach_id=coach.id or 0, participant_id=person.id or 0
        )
    session.commit()
    return coach, people


def test_the_api_walks_each_participant_once_by_name(
    api_for: Callable[[User], Api], make_user: UserFactory, session: Session
) -> None:
    coach, people = _coach_of(session, make_user, 7)
    other_coach, _ = _coach_of(session, make_user, 2)  # not theirs: never listed
    pages = walk(api_for(coach), "/coaching/participants?limit=3")
    ids = [line["participant"]["id"] for page in pages for line in page]
    assert sorted(ids) == sorted(p.id for p in people) and len(pages) == 3
    names = [
        (line["participant"]["display_name"], line["participant"]["id"])
        for p in pages
        for line in p
    ]
    assert names == sorted(names)
    forged = api_for(other_coach).call("GET", "/coaching/participants", params={"after": "x.y"})
    assert forged.status_code == 422 and forged.json()["errors"][0]["loc"] == ["query", "after"]


def test_the_coach_home_has_a_next_page(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session
) -> None:
    coach, people = _coach_of(session, make_user, 52)
    browser = browser_for(coach)
    first = browser.get("/coaching")
    assert first.status_code == 200 and 'rel="next"' in first.text
    href = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = browser.get(href.replace("&amp;", "&"))
    assert second.status_code == 200 and 'rel="next"' not in second.text
    shown = sum(f'/coaching/participants/{p.id}"' in first.text + second.text for p in people)
    assert shown == 52
