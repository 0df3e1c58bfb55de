"""What the admin pages and API read of the trail (the repository stays private).

Authorization is the caller's: the audit package sits below accounts, so
:mod:`app.operations` checks that the reader is an admin before calling here.
"""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from app.audit import repository
from app.audit.models import AuditEvent
from app.audit.repository import MAX_EXPORT_ROWS, SCOPE, AuditFilter
from app.core.csv_text import safe_text
from app.core.pagination import Page, decode_cursor

__all__ = ["MAX_EXPORT_ROWS", "SCOPE", "AuditFilter", "events_csv", "list_events"]

CSV_HEADER = (
    "id",
    "at",
    "action",
    "actor_id",
    "actor",
    "subject_user_id",
    "subject",
    "target_type",
    "target_id",
    "request_id",
)


def list_events(
    *, session: Session, filters: AuditFilter, after: str | None, limit: int
) -> Page[AuditEvent]:
    """One page of the filtered trail, newest first; a cursor not of this list is a 422."""
    cursor = decode_cursor(after, scope=SCOPE)
    return repository.list_events(session, filters=filters, after=cursor, limit=limit)


def events_csv(*, session: Session, filters: AuditFilter, names: dict[int, str]) -> str:
    """The filtered trail as CSV (newest first); ``names``: user id to how admins see them.

    Every cell is a code, an id, a timestamp or a name/email from ``names``;
    a name that starts like a formula is quoted with ``'`` so a spreadsheet
    shows it as text.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for event in repository.iter_events(session, filters=filters):
        writer.writerow(
            (
                event.id,
                event.at.isoformat(),
                event.action,
                _id(event.actor_id),
                _cell(names.get(event.actor_id)) if event.actor_id is not None else "",
                _id(event.subject_user_id),
                _cell(names.get(event.subject_user_id))
                if event.subject_user_id is not None
                else "",
                event.target_type or "",
                _id(event.target_id),
                event.request_id or "",
            )
        )
    return out.getvalue()


def people_of(*, session: Session, filters: AuditFilter) -> set[int]:
    """Every user id an export of ``filters`` names (to look their names up in one go)."""
    ids: set[int] = set()
    for event in repository.iter_events(session, filters=filters):
        ids.update(i for i in (event.actor_id, event.subject_user_id) if i is not None)
    return ids


def _id(value: int | None) -> str:
    return "" if value is None else str(value)


def _cell(text: str | None) -> str:
    return safe_text(text) if text else ""
