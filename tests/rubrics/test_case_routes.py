"""GET /ims/case/v1p1/CFPackages/{id}: the current rubric as CASE, for signed-in callers."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from app.accounts.models import User
from app.rubrics.case import document_id, validate_package


def test_a_package_is_served_valid_and_unknown_ids_answer_404(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    path = f"/ims/case/v1p1/CFPackages/{document_id('mini')}"
    assert client.get(path).status_code == 401
    headers = auth_headers(participant)
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    package = response.json()
    assert validate_package(package) == []
    assert package["CFDocument"]["identifier"] == document_id("mini")
    assert package["CFDocument"]["version"] == "2"
    assert client.get(path, headers=headers).json() == package  # stable
    unknown = client.get(f"/ims/case/v1p1/CFPackages/{uuid.uuid4()}", headers=headers)
    assert unknown.status_code == 404
    assert client.get("/ims/case/v1p1/CFPackages/mini", headers=headers).status_code == 404
