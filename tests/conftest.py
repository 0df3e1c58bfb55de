"""Test configuration.

The database-backed tests run on ``STEPWISE_TEST_DATABASE_URL`` when it is set
(CI points it at a throwaway PostgreSQL database) and on a temporary SQLite
file otherwise. Settings are fixed here, before any app module reads them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TMP = Path(tempfile.mkdtemp(prefix="stepwise-test-"))


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist, each worker's own PostgreSQL database beside the given one.

    Every worker resets its schema at start (tests/fixtures/database.py), so they cannot
    share one database; SQLite needs nothing, each process has its own temporary file.
    """
    import time

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with admin.connect() as conn:
                    found = conn.execute(
                        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                    ).first()
                    if found is None:
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                break
            except OperationalError:  # two workers copying template1 at once
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


if os.environ.get("STEPWISE_TEST_DATABASE_URL", "").startswith("postgresql") and (
    _worker := os.environ.get("PYTEST_XDIST_WORKER")
):
    # Modules that read the URL themselves (the worker and migration tests) see this one too.
    os.environ["STEPWISE_TEST_DATABASE_URL"] = _worker_database(
        os.environ["STEPWISE_TEST_DATABASE_URL"], _worker
    )
TEST_DATABASE_URL = os.environ.get("STEPWISE_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"

os.environ.update(
    STEPWISE_ENVIRONMENT="test",
    STEPWISE_DATABASE_URL=TEST_DATABASE_URL,
    STEPWISE_RUBRICS_DIR=str(ROOT / "rubrics"),
    STEPWISE_VAR_DIR=str(_TMP),
    STEPWISE_SECRET_KEY="test-secret-key-0123456789abcdef0123456789",
    # Webhook receivers in tests listen on 127.0.0.1 (tests that check the refusal turn it off).
    STEPWISE_WEBHOOKS_ALLOW_PRIVATE="true",
)

# Shared fixtures, one module per idea (tests/fixtures/): each test directory's
# conftest adds only what is its own.
pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.factories",
    "tests.fixtures.client",
    "tests.fixtures.rubric_models",
    "tests.fixtures.assessments",
    "tests.fixtures.api",
    "tests.fixtures.web",
    "tests.fixtures.smtp",
    "tests.fixtures.jobs",
    "tests.fixtures.webhooks",
    "tests.fixtures.events",
    "tests.fixtures.postgres",
    "tests.fixtures.oidc",
    "tests.fixtures.pseudo_locale",
]
