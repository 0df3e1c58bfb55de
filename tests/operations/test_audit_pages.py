"""The admin's audit trail: the page with its filters and pager, the CSV, the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import Role, User
from app.audit.actions import Action, Target
from app.audit.models import AuditEvent
from app.operations.audit_pages import PAGE_SIZE
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory

Login = Callable[..., str]
DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _event(
    session: Session,
    actor: User | None,
    action: Action,
    subject: User | None,
    at: datetime = DAY,
    target_id: int = 1,
) -> None:
    # Written as rows with a chosen time (the service stamps "now"): the filters need days.
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor.id if actor else None,
            action=action.value,
            subject_user_id=subject.id if subject else None,
            target_type=Target.review.value,
            target_id=target_id,
        )
    )


@pytest.fixture
def trail(session: Session, make_user: UserFactory) -> dict[str, User]:
    coach, admin, pat, sam = (
        make_user(Role.coach),
        make_user(Role.admin),
        make_user(),
        make_user(),
    )
    coach.display_name = "=cmd|evil"
    session.add(coach)
    _event(session, coach, Action.review_viewed, pat, DAY - timedelta(days=2))
    _event(session, coach, Action.report_downloaded, sam, DAY - timedelta(days=1))
    _event(session, admin, Action.roles_changed, sam, DAY)
    _event(session, None, Action.share_link_opened, pat, DAY + timedelta(days=1))
    session.commit()
    return {"coach": coach, "admin": admin, "pat": pat, "sam": sam}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_page_lists_the_trail_newest_first_with_names(
    client: TestClient, trail: dict[str, User], login: Login
) -> None:
    login(client, trail["admin"])
    page = client.get("/admin/audit")
    assert page.status_code == 200
    text = page.text
    order = [text.index(code) for code in ("share_link.opened", "user.roles_changed")]
    assert order == sorted(order)
    assert trail["pat"].email in text and "Nobody signed in" in text
    assert f"/admin/audit?subject_user_id={trail['sam'].id}" in text
    assert "=cmd|evil" in text  # the coach's name, escaped text on the page


def test_the_filters_narrow_the_page(
    client: TestClient, trail: dict[str, User], login: Login
) -> None:
    login(client, trail["admin"])

    def codes(query: str) -> set[str]:
        text = client.get(f"/admin/audit?{query}").text
        return {a.value for a in Action if f"<code>{a.value}</code>" in text}

    coach, sam = trail["coach"].id, trail["sam"].id
    assert codes(f"actor_id={coach}") == {"review.viewed", "report.downloaded"}
    assert codes(f"subject_user_id={sam}") == {"report.downloaded", "user.roles_changed"}
    assert codes("action=share_link.opened") == {"share_link.opened"}
    assert codes("since=2026-11-19&until=2026-11-20") == {"report.downloaded", "user.roles_changed"}
    # An empty form field filters nothing (the page's form submits every field).
    assert len(codes("actor_id=&subject_user_id=&action=&since=&until=")) == 4


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("actor_id=abc", "actor_id"),
        ("subject_user_id=99999999999", "subject_user_id"),
        ("action=drop%20table", "action"),
        ("since=2026-13-01", "since"),
        ("since=2026-11-20&until=2026-11-01", "until"),
    ],
)
def test_bad_filters_are_located_422s_that_do_not_echo(
    api_for: Callable[[User], Api], admin: User, query: str, loc: str
) -> None:
    response = api_for(admin).call("GET", f"/audit-events?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in response.json()["errors"]] == [["query", loc]]
    value = query.split("=", 1)[1].split("&")[0]
    assert value not in response.text


def test_the_csv_holds_the_filtered_view(
    client: TestClient, trail: dict[str, User], login: Login
) -> None:
    login(client, trail["admin"])
    response = client.get(f"/admin/audit.csv?actor_id={trail['coach'].id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    rows = _rows(response.content.decode("utf-8"))
    assert [r["action"] for r in rows] == ["report.downloaded", "review.viewed"]
    assert {r["actor"] for r in rows} == {f"'=cmd|evil <{trail['coach'].email}>"}
    assert rows[0]["subject_user_id"] == str(trail["sam"].id)
    assert rows[0]["subject"].endswith(f"<{trail['sam'].email}>")
    page = client.get(f"/admin/audit?actor_id={trail['coach'].id}")
    assert f"/admin/audit.csv?actor_id={trail['coach'].id}" in page.text


def test_the_page_and_the_api_go_page_by_page(
    client: TestClient,
    session: Session,
    make_user: UserFactory,
    api_for: Callable[[User], Api],
    login: Login,
) -> None:
    admin, pat = make_user(Role.admin), make_user()
    for n in range(PAGE_SIZE + 3):
        _event(
            session, admin, Action.review_viewed, pat, DAY + timedelta(minutes=n), target_id=n + 1
        )
    session.commit()
    login(client, admin)
    first = client.get(f"/admin/audit?subject_user_id={pat.id}")
    assert first.text.count("<code>review.viewed</code>") == PAGE_SIZE
    next_url = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = client.get(next_url.replace("&amp;", "&"))
    assert second.status_code == 200 and second.text.count("<code>review.viewed</code>") == 3

    api = api_for(admin)
    seen: list[int] = []
    url = f"/audit-events?subject_user_id={pat.id}&limit=20"
    while url:
        response = api.call("GET", url)
        assert response.status_code == 200
        seen += [item["target_id"] for item in response.json()["items"]]
        link = response.headers.get("link")
        url = link.split(";")[0].strip("<>").split("/api/v1", 1)[1] if link else ""
    assert seen == list(range(PAGE_SIZE + 3, 0, -1))
    bad = api.call("GET", "/audit-events?after=forged.cursor")
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "after"]


def test_non_admins_get_404_everywhere(
    client: TestClient, trail: dict[str, User], api_for: Callable[[User], Api], login: Login
) -> None:
    assert api_for(trail["coach"]).call("GET", "/audit-events").status_code == 404
    login(client, trail["coach"])
    assert client.get("/admin/audit").status_code == 404
    assert client.get("/admin/audit.csv").status_code == 404
