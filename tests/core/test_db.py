"""``session_scope``: the CLI's unit of work commits on success and nothing otherwise.

Runs against the test database for real (not the rolled-back per-test
session) and removes the rows it commits.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from app.accounts.models import LoginFailure
from app.core.db import session_scope
from tests.fixtures.committed import committed_rows


def test_a_body_that_completes_is_committed(engine: Engine, key: str) -> None:
    for session in session_scope():
        session.add(LoginFailure(client_key=key))
    assert committed_rows(engine, key) == 1


def test_a_body_that_raises_is_rolled_back(engine: Engine, key: str) -> None:
    with pytest.raises(RuntimeError):
        for session in session_scope():
            session.add(LoginFailure(client_key=key))
            session.flush()
            raise RuntimeError("stop")
    assert committed_rows(engine, key) == 0


def test_leaving_the_loop_early_is_rolled_back(engine: Engine, key: str) -> None:
    scope = session_scope()
    for session in scope:
        session.add(LoginFailure(client_key=key))
        session.flush()
        break
    scope.close()  # what the garbage collector would do; explicit so the test does not rely on it
    assert committed_rows(engine, key) == 0
