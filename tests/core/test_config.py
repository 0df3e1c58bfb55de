from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.config import Settings, get_settings
from app.core.db import make_engine
from tests.fixtures.settings import changed_settings


def test_postgres_urls_use_psycopg3() -> None:
    settings = Settings(database_url="postgresql://u:p@localhost/db")
    assert settings.database_url == "postgresql+psycopg://u:p@localhost/db"


def test_unknown_database_scheme_fails_fast() -> None:
    with pytest.raises(ValidationError, match="STEPWISE_DATABASE_URL"):
        Settings(database_url="mysql://localhost/db")


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="STEPWISE_SECRET_KEY"):
        Settings(environment="production", secret_key="short")
    assert Settings(environment="production", secret_key="x" * 40).secret_key == "x" * 40


def test_port_range_is_checked() -> None:
    with pytest.raises(ValidationError):
        Settings(port=70000)


def test_pool_sizes_are_checked_and_reach_the_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STEPWISE_DATABASE_POOL_SIZE", "0")
    with pytest.raises(ValidationError, match="database_pool_size"):
        Settings()
    with pytest.raises(ValidationError, match="database_max_overflow"):
        Settings(database_pool_size=5, database_max_overflow=-1)
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}", pool_size=7, max_overflow=3)
    assert (engine.pool.size(), engine.pool._max_overflow) == (7, 3)  # type: ignore[attr-defined]
    engine.dispose()


def test_changed_settings_apply_inside_and_are_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shared helper the settings-changing tests use (tests/fixtures/settings.py)."""
    before = get_settings().health_min_n
    with changed_settings(monkeypatch, STEPWISE_HEALTH_MIN_N=str(before + 1)):
        assert get_settings().health_min_n == before + 1
    assert get_settings().health_min_n == before
    assert "STEPWISE_HEALTH_MIN_N" not in os.environ
