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
]
