"""``GET /api/v1/audit-events``: the audit trail for admins, filtered, a page at a time.

Newest first; the ``Link: <...>; rel="next"`` header and ``next_cursor``
lead to the next page. Anyone but an admin gets 404 (as every admin tool).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.accounts.deps import CurrentUser
from app.accounts.policy import ensure_admin
from app.audit import reading
from app.audit.models import AuditEvent
from app.core.deps import SessionDep
from app.core.pagination import PageQuery
from app.operations.audit_filters import AuditFilterQuery


async def _admin_only(user: CurrentUser) -> None:
    """Router-wide, so a non-admin gets 404 before any filter is looked at."""
    ensure_admin(user=user)


router = APIRouter(prefix="/api/v1", tags=["audit"], dependencies=[Depends(_admin_only)])


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    action: str
    actor_id: int | None
    subject_user_id: int | None
    target_type: str | None
    target_id: int | None
    request_id: str | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls.model_validate(event, from_attributes=True)


class AuditEventPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None = None


@router.get("/audit-events", response_model=AuditEventPage)
def list_audit_events(
    session: SessionDep, filters: AuditFilterQuery, paging: PageQuery
) -> AuditEventPage:
    """Who viewed or changed whose personal data, newest first (admins only)."""
    page = reading.list_events(
        session=session, filters=filters, after=paging.after, limit=paging.limit
    )
    paging.link(page.next_cursor)
    return AuditEventPage(
        items=[AuditEventOut.of(e) for e in page.items], next_cursor=page.next_cursor
    )
