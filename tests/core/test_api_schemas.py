"""The shared response building blocks: copies by field name, required cursor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import BaseModel, ValidationError

from app.core.api_schemas import CursorPage, RowOut, from_row


@dataclass(frozen=True)
class _Row:
    id: int
    name: str
    tags: tuple[str, ...]
    secret: str = "hidden"


class _RowOut(RowOut[_Row]):
    id: int
    name: str
    tags: list[str]


class _Computed(BaseModel):
    id: int
    label: str
    tags: list[str]


def test_row_out_copies_only_its_fields() -> None:
    out = _RowOut.of(_Row(id=1, name="a", tags=("x", "y")))
    assert out.model_dump() == {"id": 1, "name": "a", "tags": ["x", "y"]}


def test_from_row_takes_given_values_over_attributes() -> None:
    out = from_row(_Computed, _Row(id=2, name="b", tags=()), label="B")
    assert out == _Computed(id=2, label="B", tags=[])


def test_from_row_validates() -> None:
    with pytest.raises(ValidationError):
        from_row(_Computed, _Row(id=3, name="c", tags=()), label=None)


class _Page(CursorPage[_RowOut]):
    pass


def test_cursor_page_keeps_its_name_and_requires_the_cursor() -> None:
    schema = _Page.model_json_schema()
    assert schema["title"] == "_Page"
    assert schema["required"] == ["items", "next_cursor"]
    assert "description" not in schema
