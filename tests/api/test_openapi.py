"""The OpenAPI document describes every error as problem details."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.openapi import PROBLEM_REF
from app.main import create_app


def _operations() -> list[tuple[str, str, dict[str, object]]]:
    schema = create_app().openapi()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_fastapi_validation_shape_is_gone() -> None:
    text = json.dumps(create_app().openapi())
    assert "HTTPValidationError" not in text
    assert '"ValidationError"' not in text


def test_every_error_status_of_every_operation_is_a_problem() -> None:
    operations = _operations()
    assert len(operations) > 30
    for method, path, operation in operations:
        responses: dict[str, dict[str, object]] = operation["responses"]  # type: ignore[assignment]
        assert "default" in responses and "500" in responses, (method, path)
        for status, response in responses.items():
            if status == "default" or int(status) >= 400:
                content = response["content"]
                assert content == {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}, (
                    method,
                    path,
                    status,
                )


def test_the_statuses_of_the_shared_layers_are_declared() -> None:
    by_key = {(m, p): op for m, p, op in _operations()}
    patch = by_key[("patch", "/api/v1/assessments/{assessment_id}/responses")]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "422", "428", "500"} <= set(patch)  # type: ignore[arg-type]
    token = by_key[("post", "/api/v1/auth/token")]["responses"]
    assert {"413", "422", "500"} <= set(token)  # type: ignore[arg-type]


def test_declared_descriptions_are_kept(client: TestClient) -> None:
    patch = client.get("/openapi.json").json()["paths"][
        "/api/v1/assessments/{assessment_id}/responses"
    ]["patch"]["responses"]
    assert patch["428"]["description"] == "Neither If-Match nor version was sent"
