"""The route-side helpers shared by the JSON API: a page's items and ``Link``, a versioned
write's expected version and ``ETag``."""

from __future__ import annotations

import pytest
from fastapi import Response
from pydantic import BaseModel

from app.core.exceptions import InvalidInput
from app.core.pagination import Cursor, Page, PageParams, encode_cursor
from app.core.versioning import PreconditionRequired, VersionedUpdateIn
from tests.fixtures.asgi import get_request


def _paging(after: str | None = None) -> PageParams:
    request = get_request("/api/v1/things", b"limit=2")
    return PageParams(request=request, response=Response(), after=after, limit=2)


def test_a_page_answers_its_items_shaped_and_links_the_next_page() -> None:
    paging = _paging()
    items = paging.items(Page(items=[1, 2], next_cursor="NEXT"), lambda n: n * 10)
    assert items == [10, 20]
    assert paging.response.headers["Link"] == (
        '<http://testserver/api/v1/things?limit=2&after=NEXT>; rel="next"'
    )


def test_the_last_page_has_no_link() -> None:
    paging = _paging()
    assert paging.items(Page(items=["a"], next_cursor=None), str.upper) == ["A"]
    assert "Link" not in paging.response.headers


def test_the_cursor_is_decoded_for_its_own_list_only() -> None:
    token = encode_cursor(Cursor(key="b", id=2), scope="cohorts")
    assert _paging().cursor("cohorts") is None
    assert _paging(token).cursor("cohorts") == Cursor(key="b", id=2)
    with pytest.raises(InvalidInput):
        _paging(token).cursor("users")


class _Body(BaseModel):
    version: int | None = None


def test_a_versioned_update_takes_the_version_from_the_header_or_the_body() -> None:
    assert VersionedUpdateIn(response=Response(), if_match='"3"').expected(_Body()) == 3
    assert VersionedUpdateIn(response=Response(), if_match=None).expected(_Body(version=4)) == 4
    with pytest.raises(InvalidInput):
        VersionedUpdateIn(response=Response(), if_match='"3"').expected(_Body(version=4))
    with pytest.raises(PreconditionRequired):
        VersionedUpdateIn(response=Response(), if_match=None).expected(_Body())


def test_a_versioned_update_answers_with_the_new_version_as_etag() -> None:
    write = VersionedUpdateIn(response=Response(), if_match=None)
    assert write.answer(5, {"id": 1}) == {"id": 1}
    assert write.response.headers["ETag"] == '"5"'
