"""The shared page helpers that are plain functions (no request needed)."""

from __future__ import annotations

from app.core.exceptions import InvalidInput
from app.core.pages import refused_form
from app.core.versioning import VersionConflict


def test_refused_form_gives_status_detail_and_located_messages() -> None:
    exc = InvalidInput(
        "Give a name",
        errors=[
            {"loc": ["body", "name"], "msg": "must not be empty"},
            {"loc": ["body", "name"], "msg": "second message is not shown"},
            {"loc": ["query", "after"], "msg": "not a form field"},
        ],
    )
    assert refused_form(exc) == {
        "status_code": 422,
        "errors": {"name": "must not be empty"},
        "error": "Give a name",
    }


def test_refused_form_prefix_names_one_form_of_several() -> None:
    exc = VersionConflict("Changed meanwhile", version=3, current={}, state=None)
    assert refused_form(exc, prefix="cycle_") == {
        "status_code": 409,
        "cycle_errors": {},
        "cycle_error": "Changed meanwhile",
    }
