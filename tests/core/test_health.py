from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz_answers_with_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_docs_are_public(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/api/v1/rubrics" in client.get("/openapi.json").json()["paths"]
