"""Notification preferences: the API and the no-JavaScript page, per role."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.accounts import preferences
from app.accounts.models import Role, User
from app.accounts.preferences import PAGE_PATH, NotificationKind
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser

URL = "/api/v1/me/notification-preferences"


def test_each_role_sees_its_own_kinds_all_on_at_first(
    api_for: Callable[[User], Api], make_user: UserFactory
) -> None:
    assert api_for(make_user(Role.participant)).ok("GET", URL) == {
        "review_finalized": True,
        "plan_reminder": True,
    }
    assert api_for(make_user(Role.coach)).ok("GET", URL) == {"assessment_submitted": True}
    assert api_for(make_user(Role.admin)).ok("GET", URL) == {}
    both = api_for(make_user(Role.participant, Role.coach)).ok("GET", URL)
    assert set(both) == {"review_finalized", "plan_reminder", "assessment_submitted"}


def test_put_changes_only_the_named_kinds_and_is_kept(
    api_for: Callable[[User], Api], session: Session, participant: User
) -> None:
    api = api_for(participant)
    assert api.ok("PUT", URL, json={"plan_reminder": False}) == {
        "review_finalized": True,
        "plan_reminder": False,
    }
    assert api.ok("PUT", URL, json={"review_finalized": False}) == {
        "review_finalized": False,
        "plan_reminder": False,
    }
    assert api.ok("PUT", URL, json={"plan_reminder": True})["plan_reminder"] is True
    assert not preferences.wants_notification(
        session=session, user=participant, kind=NotificationKind.review_finalized
    )
    assert preferences.wants_notification(
        session=session, user=participant, kind=NotificationKind.plan_reminder
    )


def test_bad_input_is_located_and_changes_nothing(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    cases: list[tuple[object, list[list[str | int]]]] = [
        ({"plan_reminder": "no"}, [["body", "plan_reminder"]]),
        ({"plan_reminder": 0}, [["body", "plan_reminder"]]),
        ({"weekly_digest": False}, [["body", "weekly_digest"]]),
        (
            {"assessment_submitted": False, "plan_reminder": False},
            [["body", "assessment_submitted"]],
        ),
        (["plan_reminder"], [["body"]]),
    ]
    for body, locs in cases:
        response = api.call("PUT", URL, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert [e["loc"] for e in problem["errors"]] == locs, body
        assert "no" not in [e.get("input") for e in problem["errors"]]  # not echoed
    assert api.ok("GET", URL) == {"review_finalized": True, "plan_reminder": True}


def test_the_page_shows_only_my_kinds_and_saves_without_javascript(
    browser_for: Callable[[User], Browser], make_user: UserFactory
) -> None:
    coach = browser_for(make_user(Role.coach))
    page = coach.get(PAGE_PATH)
    assert page.status_code == 200
    assert 'name="assessment_submitted"' in page.text
    assert 'name="plan_reminder"' not in page.text and 'name="review_finalized"' not in page.text
    assert 'href="/account/notifications"' in page.text  # the nav links here

    participant = browser_for(make_user(Role.participant))
    page = participant.get(PAGE_PATH)
    assert page.text.count('type="checkbox"') == 2 and page.text.count(" checked") == 2
    saved = participant.post(PAGE_PATH, {"review_finalized": "on"})  # reminders unchecked
    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE_PATH}?done=saved"
    page = participant.get(saved.headers["location"])
    assert "Your notification choices are saved." in page.text
    assert page.text.count(" checked") == 1
    assert 'name="review_finalized" value="on" checked' in page.text


def test_a_post_without_the_csrf_token_is_refused(
    browser_for: Callable[[User], Browser], session: Session, participant: User
) -> None:
    response = browser_for(participant).post(PAGE_PATH, {}, csrf=False)
    assert response.status_code == 403
    assert preferences.preferences_of(session=session, user=participant) == {
        NotificationKind.review_finalized: True,
        NotificationKind.plan_reminder: True,
    }


def test_an_account_without_optional_mail_is_told_so(
    browser_for: Callable[[User], Browser], make_user: UserFactory
) -> None:
    page = browser_for(make_user(Role.admin)).get(PAGE_PATH)
    assert page.status_code == 200 and "receives no optional emails" in page.text
    assert '<form method="post" action="/account/notifications"' not in page.text
