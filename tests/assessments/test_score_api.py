"""POST /api/v1/score: the same result shape as a submission, nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.rubrics.schemas import Rubric
from app.scoring import METHOD, score_responses
from tests.assessments.conftest import Api, all_answers


def test_partial_answers_are_scored_and_nothing_is_stored(
    api_for: Callable[[User], Api], participant: User, product_owner: Rubric, session: Session
) -> None:
    api = api_for(participant)
    answers: dict[str, Any] = dict(list(all_answers(product_owner, 4).items())[:30])
    answers[next(iter(answers))] = "n/a"
    answers["pm-vs-5a"] = None  # null is unanswered
    response = api.call(
        "POST", "/api/v1/score", json={"rubric_id": "product-owner", "responses": answers}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["answered"] == 29 and body["total"] == len(product_owner.items_by_id)
    assert body["method"] == METHOD and body["rubric"] == {"id": "product-owner", "version": "1.3"}
    assert body == score_responses(product_owner, answers).model_dump(mode="json")
    assert session.exec(select(func.count()).select_from(Assessment)).one() == 0


def test_a_version_can_be_named(api_for: Callable[[User], Api], participant: User) -> None:
    api = api_for(participant)
    ok = api.call(
        "POST", "/api/v1/score", json={"rubric_id": "mini", "version": "2", "responses": {}}
    )
    assert ok.status_code == 200 and ok.json()["answered"] == 0
    gone = api.call(
        "POST", "/api/v1/score", json={"rubric_id": "mini", "version": "1", "responses": {}}
    )
    assert gone.status_code == 422
    assert [e["loc"] for e in gone.json()["errors"]] == [["body", "version"]]


@pytest.mark.parametrize(
    ("responses", "locs", "message"),
    [
        ({"pl-1": 3, "pm-vs-1a": 4}, [["body", "responses", "pm-vs-1a"]], "unknown item id"),
        (
            {"pl-1": 5, "rv-1": -1},
            [["body", "responses", "pl-1"], ["body", "responses", "rv-1"]],
            "is outside the scale 0..4",
        ),
        ({"pl-2a": "n/a"}, [["body", "responses", "pl-2a"]], "'n/a' is not allowed"),
        ({"pl-3": "3"}, [["body", "responses", "pl-3"]], "must be an integer from 0 to 4"),
        ({"pl-3": 2.5}, [["body", "responses", "pl-3"]], "must be an integer"),
        ({"pl-3": False}, [["body", "responses", "pl-3"]], "must be an integer"),
    ],
)
def test_bad_answers_are_named(
    api_for: Callable[[User], Api],
    participant: User,
    responses: dict[str, Any],
    locs: list[list[str]],
    message: str,
) -> None:
    response = api_for(participant).call(
        "POST", "/api/v1/score", json={"rubric_id": "mini", "responses": responses}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == locs
    assert message in errors[0]["msg"]


def test_unknown_rubric_and_malformed_bodies(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    unknown = api.call("POST", "/api/v1/score", json={"rubric_id": "nope", "responses": {}})
    assert unknown.status_code == 422
    assert [e["loc"] for e in unknown.json()["errors"]] == [["body", "rubric_id"]]
    for body in ({"responses": {}}, {"rubric_id": "mini"}, {"rubric_id": "mini", "responses": []}):
        response = api.call("POST", "/api/v1/score", json=body)
        assert response.status_code == 422, body
        assert "Traceback" not in response.text
