"""Revoking a token takes effect at once on every worker: nothing about tokens is kept in memory.

Two independent app instances (as two uvicorn workers would be) on the real
test database, committing for real: both accept a token, one revokes it, and
the very next request to the *other* is refused. A per-process cache of token
look-ups (the tempting speed-up of issue #20) would fail this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import User
from app.main import create_app
from tests.fixtures.factories import new_account


@pytest.fixture
def token(engine: Engine) -> Iterator[str]:
    with Session(engine, expire_on_commit=False) as session:
        user = new_account(session=session, email="two-workers@example.test")
        issued, _ = accounts.issue_api_token(session=session, user=user, ttl=timedelta(hours=1))
        session.commit()
    yield issued
    with Session(engine) as session:
        row = session.get(User, user.id)
        if row is not None:
            session.delete(row)
            session.commit()


def test_a_token_revoked_on_one_worker_is_refused_by_the_other_at_once(token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app()) as first, TestClient(create_app()) as second:
        assert first.get("/api/v1/me", headers=headers).status_code == 200
        assert second.get("/api/v1/me", headers=headers).status_code == 200
        assert first.delete("/api/v1/auth/token", headers=headers).status_code == 204
        assert second.get("/api/v1/me", headers=headers).status_code == 401
        assert first.get("/api/v1/me", headers=headers).status_code == 401
