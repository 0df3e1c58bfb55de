"""Time in one place: aware UTC everywhere, so SQLite and PostgreSQL agree."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone columns; treat them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
