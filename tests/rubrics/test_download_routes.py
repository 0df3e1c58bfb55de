"""GET /api/v1/rubrics/{id}/download: a stored rubric in each format, and back."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.accounts.models import User
from app.rubrics.case import validate_package
from app.rubrics.loader import content_hash
from app.rubrics.schemas import Rubric
from app.rubrics.transfer import import_rubric_bytes


@pytest.mark.parametrize(("fmt", "kind"), [("xlsx", "xlsx"), ("csv", "csv"), ("case", "case")])
def test_download_in_each_format_round_trips(
    client: TestClient,
    participant: User,
    auth_headers: Callable[[User], dict[str, str]],
    mini: Rubric,
    fmt: str,
    kind: str,
) -> None:
    headers = auth_headers(participant)
    response = client.get(f"/api/v1/rubrics/mini/download?format={fmt}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="mini-2.')
    if fmt == "case":
        assert validate_package(json.loads(response.content)) == []
    back = import_rubric_bytes(response.content, kind, source="download")
    assert content_hash(back.rubric) == content_hash(mini)


def test_download_errors(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    headers = auth_headers(participant)
    assert client.get("/api/v1/rubrics/mini/download?format=xlsx").status_code == 401
    assert (
        client.get("/api/v1/rubrics/nope/download?format=xlsx", headers=headers).status_code == 404
    )
    assert (
        client.get("/api/v1/rubrics/mini/download?format=pdf", headers=headers).status_code == 422
    )
