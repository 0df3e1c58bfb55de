"""Reading the trail: newest first, filtered, one keyset page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit.models import AuditEvent
from app.core.pagination import Cursor, Page, keyset_page

SCOPE = "audit-events"
#: Most rows one CSV export holds (the newest of the filtered view); narrow the filters for more.
MAX_EXPORT_ROWS = 10_000


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the trail to; ``None`` everywhere is the whole trail."""

    actor_id: int | None = None
    subject_user_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(filters: AuditFilter) -> SelectOfScalar[AuditEvent]:
    statement = select(AuditEvent)
    if filters.actor_id is not None:
        statement = statement.where(col(AuditEvent.actor_id) == filters.actor_id)
    if filters.subject_user_id is not None:
        statement = statement.where(col(AuditEvent.subject_user_id) == filters.subject_user_id)
    if filters.action is not None:
        statement = statement.where(col(AuditEvent.action) == filters.action)
    if filters.since is not None:
        statement = statement.where(col(AuditEvent.at) >= filters.since)
    if filters.until is not None:
        statement = statement.where(col(AuditEvent.at) < filters.until)
    return statement


def list_events(
    session: Session, *, filters: AuditFilter, after: Cursor | None, limit: int
) -> Page[AuditEvent]:
    """One page of the filtered trail, newest first (keyset on ``(at, id)``)."""
    return keyset_page(
        session,
        _filtered(filters),
        sort=col(AuditEvent.at),
        id_column=col(AuditEvent.id),
        after=after,
        limit=limit,
        scope=SCOPE,
        descending=True,
    )


def iter_events(session: Session, *, filters: AuditFilter) -> Iterator[AuditEvent]:
    """The filtered trail for an export, newest first, at most :data:`MAX_EXPORT_ROWS`."""
    statement = (
        _filtered(filters)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(MAX_EXPORT_ROWS)
    )
    yield from session.exec(statement)
