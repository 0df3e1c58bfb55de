from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import Settings


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
