"""The programmes pages: cohorts, members, the CSV preview then confirm, a cycle's dashboard."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import Role, User
from app.accounts.service import get_user_by_email
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser
from tests.programmes.conftest import Programme

BrowserFor = Callable[[User], Browser]


def test_cohort_pages_create_add_and_import(
    browser_for: BrowserFor, make_user: UserFactory, session: Session
) -> None:
    admin, coach, person = make_user(Role.admin), make_user(Role.coach), make_user()
    browser = browser_for(admin)
    assert 'href="/admin/cohorts"' in browser.get("/admin").text
    empty = browser.post("/admin/cohorts", {"name": "  "})
    assert empty.status_code == 422 and "must not be empty" in empty.text
    created = browser.post("/admin/cohorts", {"name": "PO guild <Berlin>"})
    assert created.status_code == 303
    found = re.fullmatch(r"/admin/cohorts/(\d+)\?done=created", created.headers["location"])
    assert found
    path = f"/admin/cohorts/{found.group(1)}"
    page = browser.get(created.headers["location"])
    assert "Cohort created." in page.text
    assert "PO guild &lt;Berlin&gt;" in page.text and "No members yet." in page.text

    added = browser.post(f"{path}/members", {"email": person.email, "coach_email": coach.email})
    assert added.status_code == 303
    listed = browser.get(path).text
    assert person.display_name in listed and coach.display_name in listed
    refused = browser.post(f"{path}/members", {"email": person.email, "coach_email": "x@y.test"})
    assert refused.status_code == 422 and "is not the email of a coach" in refused.text

    good = f"email,name,coach\nfresh@example.test,Fresh Face,{coach.email}\n"
    files = {"file": ("team.csv", good.encode(), "text/csv")}
    preview = browser.client.post(
        f"{path}/import",
        files=files,
        data={"csrf_token": browser.csrf},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert preview.status_code == 200 and "1 to invite" in preview.text
    assert get_user_by_email(session=session, email="fresh@example.test") is None
    bad = browser.client.post(
        f"{path}/import",
        files={"file": ("team.csv", b"email,name,coach\nnope,,\n", "text/csv")},
        data={"csrf_token": browser.csrf},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert "Row 2, column “email”: is not an email address" in bad.text
    assert "Confirm import" not in bad.text
    confirmed = browser.post(f"{path}/import/confirm", {"csv_text": good})
    assert confirmed.status_code == 303
    assert get_user_by_email(session=session, email="fresh@example.test") is not None


def test_the_cycle_dashboard_for_admins_and_coaches(
    browser_for: BrowserFor, programme: Programme
) -> None:
    admin = browser_for(programme.admin)
    path = f"/cycles/{programme.cycle.id}"
    assert "Nobody has been invited yet" in admin.get(path).text
    opened = admin.post(f"/admin/cycles/{programme.cycle.id}/open", {})
    assert opened.status_code == 303
    board = admin.get(path).text
    assert all(m.display_name in board for m in programme.members)
    assert "Close now" in board
    coach_view = browser_for(programme.coach_b).get(path)
    assert coach_view.status_code == 200
    assert programme.members[2].display_name in coach_view.text
    assert programme.members[0].display_name not in coach_view.text
    assert "Close now" not in coach_view.text
    assert browser_for(programme.members[0]).get(path).status_code == 404
    assert admin.get("/admin/cycles").status_code == 200
