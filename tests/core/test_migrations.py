"""Migrations are the schema's only author: they match the models and round-trip.

Runs on SQLite always and on PostgreSQL when STEPWISE_TEST_DATABASE_URL is set,
each in a database of its own so the suite's shared database is untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app import models  # noqa: F401
from app.core import migrations
from app.core.db import make_engine
from app.jobs.models import is_procrastinate_table
from tests.fixtures.postgres import drop_database

PG_URL = os.environ.get("STEPWISE_TEST_DATABASE_URL", "")


def _fresh_postgres(name: str) -> Iterator[str]:
    base = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = make_engine(base.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    drop_database(admin, name)
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if not PG_URL.startswith("postgresql"):
        pytest.skip("PostgreSQL: set STEPWISE_TEST_DATABASE_URL (.ci/run does)")
    yield from _fresh_postgres(f"{make_url(PG_URL).database}_migrations")


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if not is_procrastinate_table(name)}
    finally:
        engine.dispose()


def test_migrations_match_the_models(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": lambda name, type_, _parent: (
                    not (type_ == "table" and is_procrastinate_table(name))
                ),
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], (
        f"models and migrations disagree; run alembic revision --autogenerate: {diff}"
    )


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    expected = set(SQLModel.metadata.tables)
    assert _tables(empty_database) == expected
    migrations.downgrade(empty_database, "base")
    assert _tables(empty_database) == set()
    migrations.upgrade(empty_database)
    assert _tables(empty_database) == expected
