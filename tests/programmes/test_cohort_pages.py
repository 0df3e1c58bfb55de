"""Renaming and deleting a cohort from the admin pages: versioned forms, a confirm step,
and a cohort whose cycles ran is kept."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from app.accounts.models import Role, User
from app.programmes import cycles, repository
from app.programmes.models import Cohort, Cycle
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser
from tests.programmes.conftest import T0, Programme

BrowserFor = Callable[[User], Browser]


def _version_field(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}"') :]
    found = re.search(r'name="version" value="(\d+)"', form)
    assert found, "the form carries the cohort's version"
    return found.group(1)


def test_rename_from_the_cohort_page(
    browser_for: BrowserFor, programme: Programme, session: Session
) -> None:
    browser = browser_for(programme.admin)
    path = f"/admin/cohorts/{programme.cohort.id}"
    version = _version_field(browser.get(path).text, f"{path}/rename")
    renamed = browser.post(f"{path}/rename", {"name": "PO guild <Munich>", "version": version})
    assert renamed.status_code == 303 and renamed.headers["location"] == f"{path}?done=renamed"
    page = browser.get(renamed.headers["location"]).text
    assert "Cohort renamed." in page and "PO guild &lt;Munich&gt;" in page
    session.expire_all()
    stored = session.get(Cohort, programme.cohort.id)
    assert stored is not None and stored.name == "PO guild <Munich>"

    # The same form again, based on the version before the rename: the styled 409 page.
    stale = browser.post(f"{path}/rename", {"name": "Late edit", "version": version})
    assert stale.status_code == 409 and "text/html" in stale.headers["content-type"]
    assert 'role="alert"' in stale.text and 'value="Late edit"' in stale.text
    assert _version_field(stale.text, f"{path}/rename") == str(int(version) + 1)
    session.expire_all()
    assert session.get(Cohort, programme.cohort.id).name == "PO guild <Munich>"  # type: ignore[union-attr]

    empty = browser.post(f"{path}/rename", {"name": "  ", "version": str(int(version) + 1)})
    assert empty.status_code == 422 and "must not be empty" in empty.text


def test_delete_asks_first_then_removes_members_and_draft_cycles(
    browser_for: BrowserFor, programme: Programme, session: Session
) -> None:
    browser = browser_for(programme.admin)
    cohort_id, cycle_id = programme.cohort.id, programme.cycle.id
    path = f"/admin/cohorts/{cohort_id}"
    assert f'href="{path}/delete"' in browser.get(path).text
    confirm = browser.get(f"{path}/delete")
    assert confirm.status_code == 200
    assert "its 3 members" in confirm.text and "its 1 draft cycle." in confirm.text
    version = _version_field(confirm.text, f"{path}/delete")
    assert session.get(Cohort, cohort_id) is not None  # looking at the confirm page deletes nothing

    stale = browser.post(f"{path}/delete", {"version": str(int(version) + 5)})
    assert stale.status_code == 409 and 'id="delete-error"' in stale.text
    session.expire_all()
    assert session.get(Cohort, cohort_id) is not None

    deleted = browser.post(f"{path}/delete", {"version": version})
    assert (
        deleted.status_code == 303 and deleted.headers["location"] == "/admin/cohorts?done=deleted"
    )
    assert "Cohort deleted" in browser.get(deleted.headers["location"]).text
    session.expire_all()
    assert session.get(Cohort, cohort_id) is None and session.get(Cycle, cycle_id) is None
    assert all(session.get(User, m.id) is not None for m in programme.members)
    assert browser.get(path).status_code == 404


def test_a_cohort_whose_cycle_ran_is_kept(
    browser_for: BrowserFor, programme: Programme, session: Session
) -> None:
    assert programme.cycle.id is not None and programme.cohort.id is not None
    cycles.open_cycle(session=session, actor=programme.admin, cycle_id=programme.cycle.id, now=T0)
    session.commit()
    browser = browser_for(programme.admin)
    path = f"/admin/cohorts/{programme.cohort.id}"
    confirm = browser.get(f"{path}/delete").text
    assert 'id="delete-refused"' in confirm and "Delete the cohort</button>" not in confirm
    refused = browser.post(f"{path}/delete", {"version": str(programme.cohort.version)})
    assert refused.status_code == 409 and "cycle(s) that were opened" in refused.text
    session.expire_all()
    assert repository.count_members(session, cohort_id=programme.cohort.id) == 3


def test_only_admins_reach_the_forms(
    browser_for: BrowserFor, programme: Programme, make_user: UserFactory
) -> None:
    coach = browser_for(programme.coach_a)
    path = f"/admin/cohorts/{programme.cohort.id}"
    assert coach.get(f"{path}/delete").status_code == 404
    assert coach.post(f"{path}/delete", {"version": "1"}).status_code == 404
    assert coach.post(f"{path}/rename", {"name": "x", "version": "1"}).status_code == 404
    admin = browser_for(make_user(Role.admin))
    assert admin.post(f"{path}/rename", {"name": "x"}).status_code == 422  # no version
    assert admin.post("/admin/cohorts/999999/delete", {"version": "1"}).status_code == 404
