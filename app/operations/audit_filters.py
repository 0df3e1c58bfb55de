"""The filters of the audit trail as query parameters, shared by its page, CSV and API.

``since`` and ``until`` are calendar days (UTC), both included; an unknown
action or a bad id or date is a located 422 (the value is never echoed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query
from sqlmodel import Session

from app.accounts.service import users_by_ids
from app.audit.actions import Action
from app.audit.reading import AuditFilter
from app.core.exceptions import InvalidInput, field_error
from app.core.types import MAX_ID

ACTION_CODES = frozenset(a.value for a in Action)


#: Longest filter value read (an id, a date or an action code is far shorter).
MAX_VALUE_LENGTH = 40

FilterText = Annotated[str, Query(max_length=MAX_VALUE_LENGTH)]


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day is not None else None


def _id(name: str, text: str, errors: list[dict[str, Any]]) -> int | None:
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= MAX_ID:
        return int(text)
    errors.append(field_error(["query", name], "must be a person's id (a whole number)", "id"))
    return None


def _day(name: str, text: str, errors: list[dict[str, Any]]) -> date | None:
    if not text:
        return None
    try:
        if len(text) != len("YYYY-MM-DD"):
            raise ValueError(name)
        return date.fromisoformat(text)
    except ValueError:
        errors.append(field_error(["query", name], "must be a day as YYYY-MM-DD", "date"))
        return None


def audit_filter(
    actor_id: FilterText = "",
    subject_user_id: FilterText = "",
    action: FilterText = "",
    since: FilterText = "",
    until: FilterText = "",
) -> AuditFilter:
    """The filters of a request; empty values (a submitted empty form field) filter nothing.

    Query: ``actor_id`` (who did it), ``subject_user_id`` (whose data), ``action``
    (a code of :class:`app.audit.actions.Action`), ``since``/``until`` (days, UTC, included).
    """
    errors: list[dict[str, Any]] = []
    actor = _id("actor_id", actor_id, errors)
    subject = _id("subject_user_id", subject_user_id, errors)
    first, last = _day("since", since, errors), _day("until", until, errors)
    if action and action not in ACTION_CODES:
        errors.append(field_error(["query", "action"], "not an action of the trail", "enum"))
    if first is not None and last is not None and last < first:
        errors.append(field_error(["query", "until"], "must not be before since", "range"))
    if errors:
        raise InvalidInput("The filters are not valid", errors=errors)
    return AuditFilter(
        actor_id=actor,
        subject_user_id=subject,
        action=action or None,
        since=_start(first),
        until=_start(last + timedelta(days=1)) if last is not None else None,
    )


AuditFilterQuery = Annotated[AuditFilter, Depends(audit_filter)]


FILTER_NAMES = ("actor_id", "subject_user_id", "action", "since", "until")


def filter_query(filters: AuditFilter) -> str:
    """The query string of ``filters`` (for the pager, the CSV link and the name links)."""
    values: dict[str, str] = {}
    if filters.actor_id is not None:
        values["actor_id"] = str(filters.actor_id)
    if filters.subject_user_id is not None:
        values["subject_user_id"] = str(filters.subject_user_id)
    if filters.action is not None:
        values["action"] = filters.action
    if filters.since is not None:
        values["since"] = filters.since.date().isoformat()
    if filters.until is not None:
        values["until"] = (filters.until - timedelta(days=1)).date().isoformat()
    return urlencode(values)


def names_of(*, session: Session, ids: set[int]) -> dict[int, str]:
    """How admins see the people of the trail: "Name <email>"; erased people are absent."""
    found = users_by_ids(session=session, ids=ids)
    return {uid: f"{user.display_name} <{user.email}>" for uid, user in found.items()}
