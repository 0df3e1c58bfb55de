from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.accounts.models import User


def test_rubrics_need_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/rubrics").status_code == 401


def test_list_and_get(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    headers = auth_headers(participant)
    listed = client.get("/api/v1/rubrics", headers=headers)
    assert listed.status_code == 200
    mini = next(r for r in listed.json() if r["id"] == "mini")
    assert mini == mini | {"version": "2", "competencies": 1, "behaviors": 2, "items": 7}

    detail = client.get("/api/v1/rubrics/mini", headers=headers).json()
    behavior = detail["rubric"]["competencies"][0]["behaviors"][0]
    assert behavior["levels"]["novice"]["items"][0] == {"id": "pl-1", "text": "I plan my day."}
    assert detail["rubric"]["scale"]["min"] == 0

    assert client.get("/api/v1/rubrics/mini?version=2", headers=headers).status_code == 200
    missing = client.get("/api/v1/rubrics/mini?version=9", headers=headers)
    assert missing.status_code == 404
    assert client.get("/api/v1/rubrics/nope", headers=headers).status_code == 404
