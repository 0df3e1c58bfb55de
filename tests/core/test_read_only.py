"""Safe requests (GET, HEAD, OPTIONS) run in a read-only unit of work.

On SQLite that unit begins DEFERRED, so it reads a WAL snapshot and takes no
lock: a reader never queues behind a writer (issue 20's tails). Since such a
transaction could not safely upgrade to a write, a write attempt inside it is
refused loudly, as a programming error, and nothing is written. These run the
production dependency (not the test override) on a tiny app, as
``test_deps.py`` does.
"""

from __future__ import annotations

import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, func, select

from app.accounts.models import LoginFailure
from app.core.config import get_settings
from app.core.db import ReadOnlyViolation
from app.core.deps import SessionDep, reads_only
from tests.fixtures.committed import committed_rows


def _build_app() -> FastAPI:
    app = FastAPI()

    @app.get("/count/{key}")
    def count(key: str, session: SessionDep) -> dict[str, int]:
        query = select(func.count()).where(LoginFailure.client_key == key)
        return {"rows": session.exec(query).one()}

    @app.post("/add/{key}")
    def add(key: str, session: SessionDep) -> dict[str, str]:
        session.add(LoginFailure(client_key=key))
        return {"ok": key}

    @app.post("/compute/{key}")
    @reads_only
    def compute(key: str, session: SessionDep) -> dict[str, int]:
        query = select(func.count()).where(LoginFailure.client_key == key)
        return {"rows": session.exec(query).one()}

    @app.post("/sneaky-compute/{key}")
    @reads_only
    def sneaky_compute(key: str, session: SessionDep) -> None:
        session.add(LoginFailure(client_key=key))
        session.flush()

    @app.get("/sneaky-add/{key}")
    def sneaky_add(key: str, session: SessionDep) -> None:
        session.add(LoginFailure(client_key=key))
        session.flush()

    @app.get("/sneaky-update/{key}")
    def sneaky_update(key: str, session: SessionDep) -> None:
        session.execute(
            update(LoginFailure).where(LoginFailure.client_key == key).values(client_key="x")  # type: ignore[arg-type]
        )

    return app


@pytest.mark.skipif(not get_settings().is_sqlite, reason="SQLite's write lock")
def test_a_read_does_not_wait_for_a_writer_holding_the_lock(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client:
        assert client.post(f"/add/{key}").status_code == 200
        locked, release = threading.Event(), threading.Event()

        def writer() -> None:
            with Session(engine) as writing:  # BEGIN IMMEDIATE: holds the write lock
                writing.add(LoginFailure(client_key=key))
                writing.flush()
                locked.set()
                release.wait(30)
                writing.rollback()

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            assert locked.wait(10)
            started = time.monotonic()
            response = client.get(f"/count/{key}")
            elapsed = time.monotonic() - started
            started = time.monotonic()
            computed = client.post(f"/compute/{key}")  # a POST marked reads_only
            elapsed_post = time.monotonic() - started
        finally:
            release.set()
            thread.join()
    assert response.json() == {"rows": 1}  # the committed row, not the writer's pending one
    assert computed.json() == {"rows": 1}
    # Taking the lock would have waited for the writer (released only after this).
    assert elapsed < 2.0
    assert elapsed_post < 2.0


def test_a_reads_only_post_that_flushes_fails_and_writes_nothing(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client, pytest.raises(ReadOnlyViolation):
        client.post(f"/sneaky-compute/{key}")
    assert committed_rows(engine, key) == 0


def test_a_get_that_flushes_fails_and_writes_nothing(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client, pytest.raises(ReadOnlyViolation):
        client.get(f"/sneaky-add/{key}")
    assert committed_rows(engine, key) == 0


def test_a_get_that_runs_an_update_fails_and_changes_nothing(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client:
        assert client.post(f"/add/{key}").status_code == 200
        with pytest.raises(ReadOnlyViolation):
            client.get(f"/sneaky-update/{key}")
    assert committed_rows(engine, key) == 1


def test_a_post_still_writes(engine: Engine, key: str) -> None:
    with TestClient(_build_app()) as client:
        assert client.post(f"/add/{key}").status_code == 200
        assert client.get(f"/count/{key}").json() == {"rows": 1}
