"""Alembic environment: the schema's only author outside tests.

The database URL comes from the ``sqlalchemy.url`` option when a caller sets
it (tests, ``stepwise db upgrade --url``) and otherwise from the settings.
SQLite gets batch mode so ALTERs work there too.
"""

from __future__ import annotations

from logging.config import fileConfig

from sqlalchemy import Connection
from sqlmodel import SQLModel

from alembic import context
from app import models  # noqa: F401 - registers every table on SQLModel.metadata
from app.core.config import get_settings
from app.core.db import make_engine
from app.jobs.models import is_procrastinate_table

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        # procrastinate's queue tables (PostgreSQL) are its schema, not our models'.
        include_name=lambda name, type_, _parent: (
            not (type_ == "table" and is_procrastinate_table(name))
        ),
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
