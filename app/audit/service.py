"""Recording to the audit trail: one call, inside the caller's unit of work.

``record_event`` takes codes and ids only, so nothing a person typed (and
no secret) can reach the table. In a writing request the row is part of the
request's transaction: it commits with the change or not at all. In a safe
request (GET: a review opened, a report downloaded) the unit of work is
read-only, so the row is written right after the read commits, before the
response goes out (:func:`app.core.db.add_after_read`). There is no update
and no delete: the table is append-only (and its triggers refuse both).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from app.audit.actions import Action, Target
from app.audit.models import REQUEST_ID_LENGTH, AuditEvent
from app.core.db import add_after_read
from app.core.logs import REQUEST_ID


def record_event(
    *,
    session: Session,
    actor_id: int | None,
    action: Action,
    subject_user_id: int | None,
    target_type: Target | None = None,
    target_id: int | None = None,
) -> None:
    """Append one event to the trail, in ``session``'s unit of work."""
    request_id = REQUEST_ID.get()
    event = AuditEvent(
        actor_id=actor_id,
        action=Action(action).value,
        subject_user_id=subject_user_id,
        target_type=Target(target_type).value if target_type is not None else None,
        target_id=target_id,
        request_id=request_id[:REQUEST_ID_LENGTH] if request_id else None,
    )
    add_after_read(session, event)


def record_events(
    *,
    session: Session,
    actor_id: int | None,
    action: Action,
    subject_user_ids: Iterable[int],
    target_type: Target | None = None,
    target_id: int | None = None,
) -> None:
    """One event per person whose data one act touched (a cohort export)."""
    for subject_user_id in sorted(set(subject_user_ids)):
        record_event(
            session=session,
            actor_id=actor_id,
            action=action,
            subject_user_id=subject_user_id,
            target_type=target_type,
            target_id=target_id,
        )


def record_viewed(
    *,
    session: Session,
    viewer_id: int | None,
    action: Action,
    subject_user_id: int,
    target_type: Target,
    target_id: int | None,
) -> None:
    """Record a look at someone's data unless they looked at their own."""
    if viewer_id != subject_user_id:
        record_events(
            session=session,
            actor_id=viewer_id,
            action=action,
            subject_user_ids=[subject_user_id],
            target_type=target_type,
            target_id=target_id,
        )


def record_erasure(*, session: Session, actor_id: int | None, erased_user_id: int) -> None:
    """For the erasure service (app/privacy): the record holds the erased number, nothing else.

    Call it inside the erasing transaction. The trail's earlier rows about
    the person keep their ids too (no foreign key): numbers, not personal data,
    once the account row is gone.
    """
    record_event(
        session=session,
        actor_id=actor_id,
        action=Action.user_erased,
        subject_user_id=erased_user_id,
        target_type=Target.user,
        target_id=erased_user_id,
    )
