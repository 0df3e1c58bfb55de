"""The real request unit of work (``app.core.deps.get_session``), not the test override.

Every other HTTP test swaps the dependency for the per-test rolled-back
session; these run the production one against the test database, on a tiny
app of their own, and clean up the rows they commit.
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.accounts.models import LoginFailure
from app.core.deps import SessionDep
from tests.fixtures.committed import committed_rows


def _build_app() -> FastAPI:
    app = FastAPI()

    @app.post("/pending/{key}")
    def add_pending(key: str, session: SessionDep) -> dict[str, str]:
        # Only added, never flushed: the commit at the end must still write it.
        session.add(LoginFailure(client_key=key))
        return {"ok": key}

    @app.post("/flushed-then-fails/{key}")
    def add_then_fail(key: str, session: SessionDep) -> None:
        session.add(LoginFailure(client_key=key))
        session.flush()
        raise HTTPException(status_code=409, detail="changed my mind")

    @app.get("/untouched")
    def untouched(session: SessionDep) -> dict[str, bool]:
        return {"in_transaction": session.in_transaction()}

    return app


def test_success_commits_even_work_that_was_never_flushed(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client:
        assert client.post(f"/pending/{key}").status_code == 200
    assert committed_rows(engine, key) == 1


def test_an_error_rolls_back_what_was_flushed(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client:
        response = client.post(f"/flushed-then-fails/{key}")
    assert response.status_code == 409
    assert committed_rows(engine, key) == 0


def test_a_request_that_never_queries_opens_no_transaction() -> None:
    with TestClient(_build_app()) as client:
        response = client.get("/untouched")
    assert response.status_code == 200
    assert response.json() == {"in_transaction": False}
