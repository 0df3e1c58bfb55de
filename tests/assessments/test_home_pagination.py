"""The participant home: its history is a cursor page (newest first), the latest result
of each rubric stays right on every page, a tampered cursor is refused without being
echoed, and a page's statements do not grow with the history."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import User
from app.assessments.home_service import HISTORY_PAGE_SIZE, my_home
from app.rubrics.schemas import Rubric
from tests.fixtures.assessments import make_assessment
from tests.fixtures.factories import UserFactory
from tests.fixtures.queries import count_statements
from tests.fixtures.web import Browser

NEXT = re.compile(r'href="(?P<href>[^"]+)" rel="next"')
ROW = re.compile(r'<h3><a href="/assessments/(?P<id>\d+)(?:/results)?">')


def _history(session: Session, user: User, mini: Rubric, drafts: int) -> tuple[int, int]:
    """Two submitted ``mini`` assessments (the older first), then ``drafts`` drafts."""
    answers = dict.fromkeys(mini.items_by_id, 4)
    older = make_assessment(session=session, user=user, answers=answers).id
    newer = make_assessment(session=session, user=user, answers=answers).id
    for _ in range(drafts):
        make_assessment(session=session, user=user, answers=None, submit=False)
    session.commit()
    return older, newer


def _rows(html: str) -> list[int]:
    """The assessments of the history list (after the "Latest results" glance)."""
    return [int(m.group("id")) for m in ROW.finditer(html.split('id="progress-title"', 1)[1])]


def test_every_assessment_once_and_the_latest_result_on_every_page(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session, mini: Rubric
) -> None:
    me = make_user()
    older, newer = _history(session, me, mini, 55)
    browser = browser_for(me)
    seen: list[int] = []
    url: str | None = "/assessments"
    pages: list[str] = []
    while url is not None:
        response = browser.get(url)
        assert response.status_code == 200
        pages.append(response.text)
        seen += _rows(response.text)
        found = NEXT.search(response.text)
        url = found.group("href").replace("&amp;", "&") if found else None
        assert len(pages) < 10, "the walk does not end"
    assert len(pages) == 2 and len(_rows(pages[0])) == HISTORY_PAGE_SIZE
    assert len(seen) == 57 and len(set(seen)) == 57
    assert seen == sorted(seen, reverse=True)  # newest first
    assert older in _rows(pages[1]) and newer in _rows(pages[1])
    for html in pages:
        # The glance shows the newest submission of the rubric, not the older one,
        # even on the first page, whose history holds neither.
        glance = html.split('id="latest-title"', 1)[1].split('id="progress-title"', 1)[0]
        assert f'href="/assessments/{newer}/results"' in glance
        assert f'href="/assessments/{older}/results"' not in glance
    # The framework used last (a draft of mini) stays preselected on later pages.
    assert '<option value="mini" selected' in pages[1]


def test_a_tampered_cursor_is_a_422_that_does_not_echo_it(
    browser_for: Callable[[User], Browser], make_user: UserFactory, session: Session, mini: Rubric
) -> None:
    me, other = make_user(), make_user()
    _history(session, me, mini, 50)
    _history(session, other, mini, 50)
    browser = browser_for(me)
    found = NEXT.search(browser.get("/assessments").text)
    assert found
    cursor = found.group("href").split("after=", 1)[1]
    body, mac = cursor.split(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    theirs = NEXT.search(browser_for(other).get("/assessments").text)
    assert theirs
    their_cursor = theirs.group("href").split("after=", 1)[1]
    for bad in (tampered, "nonsense-cursor", cursor + "x", their_cursor):
        response = browser.get("/assessments", params={"after": bad})
        assert response.status_code == 422, bad
        assert bad not in response.text


def test_the_home_costs_the_same_statements_with_5_and_60_assessments(
    session: Session, make_user: UserFactory, mini: Rubric
) -> None:
    def measure(n: int) -> int:
        me = make_user()
        _history(session, me, mini, n - 2)
        session.expunge_all()
        with count_statements(session) as counted:
            data = my_home(session=session, user=me, after=None)
        assert data.history.items and len(data.latest) == 1
        return counted.count

    assert measure(5) == measure(60)
