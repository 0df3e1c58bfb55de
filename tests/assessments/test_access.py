"""Who may do what: owner edits; owner, assigned coach and admin read; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.accounts.models import Role, User
from app.rubrics.schemas import Rubric
from tests.assessments.conftest import Api, all_answers
from tests.fixtures.factories import UserFactory


@pytest.fixture
def submitted_and_open(
    api_for: Callable[[User], Api], participant: User, mini: Rubric
) -> tuple[int, int]:
    """The participant's submitted assessment and one in progress."""
    api = api_for(participant)
    done = api.create("mini")["id"]
    assert api.patch(done, 1, all_answers(mini, 2)).status_code == 200
    assert api.submit(done, 2).status_code == 200
    open_ = api.create("mini")["id"]
    assert api.patch(open_, 1, {"pl-1": 1}).status_code == 200
    return done, open_


def _reads(api: Api, participant: User, done: int, open_: int) -> list[int]:
    return [
        api.call("GET", f"/api/v1/assessments/{done}").status_code,
        api.call("GET", f"/api/v1/assessments/{open_}").status_code,
        api.call("GET", f"/api/v1/assessments/{done}/result").status_code,
        api.call("GET", f"/api/v1/participants/{participant.id}/assessments").status_code,
    ]


def _writes(api: Api, done: int, open_: int) -> list[int]:
    return [
        api.patch(open_, 2, {"pl-2a": 1}).status_code,
        api.patch(done, 3, {"pl-2a": 1}).status_code,
        api.submit(open_, 2).status_code,
        api.call("DELETE", f"/api/v1/assessments/{open_}").status_code,
    ]


def test_another_participant_gets_404_everywhere(
    api_for: Callable[[User], Api],
    participant: User,
    make_user: UserFactory,
    submitted_and_open: tuple[int, int],
) -> None:
    stranger = api_for(make_user(Role.participant))
    done, open_ = submitted_and_open
    assert _reads(stranger, participant, done, open_) == [404, 404, 404, 404]
    assert _writes(stranger, done, open_) == [404, 404, 404, 404]
    assert stranger.call("GET", "/api/v1/assessments").json() == []
    # Nothing changed for the owner.
    owner = api_for(participant)
    assert owner.call("GET", f"/api/v1/assessments/{open_}").json()["version"] == 2


def test_a_coach_of_someone_else_gets_404(
    api_for: Callable[[User], Api],
    participant: User,
    make_user: UserFactory,
    submitted_and_open: tuple[int, int],
) -> None:
    other_coach = api_for(make_user(Role.coach))
    done, open_ = submitted_and_open
    assert _reads(other_coach, participant, done, open_) == [404, 404, 404, 404]


def test_the_assigned_coach_reads_but_cannot_edit(
    api_for: Callable[[User], Api],
    participant: User,
    coach: User,
    submitted_and_open: tuple[int, int],
) -> None:
    api = api_for(coach)
    done, open_ = submitted_and_open
    assert _reads(api, participant, done, open_) == [200, 200, 200, 200]
    assert _writes(api, done, open_) == [404, 404, 404, 404]
    history = api.call("GET", f"/api/v1/participants/{participant.id}/assessments").json()
    assert [a["id"] for a in history] == [done, open_]
    assert api.call("GET", "/api/v1/assessments").json() == []  # the coach's own: none


def test_an_admin_reads_but_cannot_edit(
    api_for: Callable[[User], Api],
    participant: User,
    admin: User,
    submitted_and_open: tuple[int, int],
) -> None:
    api = api_for(admin)
    done, open_ = submitted_and_open
    assert _reads(api, participant, done, open_) == [200, 200, 200, 200]
    assert _writes(api, done, open_) == [404, 404, 404, 404]
    assert api.call("GET", "/api/v1/participants/999999/assessments").status_code == 404


def test_missing_ids_look_like_foreign_ones(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    assert api.call("GET", "/api/v1/assessments/999999").status_code == 404
    assert api.patch(999999, 1, {"pl-1": 1}).status_code == 404
    assert api.call("GET", "/api/v1/participants/999999/assessments").status_code == 404
