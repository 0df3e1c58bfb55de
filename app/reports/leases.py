"""Render leases: one render per report at a time, a bounded number per user.

Both rules must hold across every server process and machine, so they live in
the database (``report_render_leases``), not in a process's memory:

* **Single flight.** The first request for an uncached report inserts a lease
  keyed by the report's cache key and renders; concurrent requests for the
  same report find the lease and wait for the PDF to appear in the cache
  instead of rendering it again.
* **Fairness.** A user with ``report_renders_per_user`` renders in flight
  gets 429 for another one, so one person cannot queue up every worker while
  others wait.

A lease is a lock, not part of the request's work: it is taken and released in
short transactions of its own (:func:`app.core.db.session_scope`), committed at
once so that other processes see it, and it expires after the render's time
limit plus a margin, so a process that dies mid-render blocks nobody for long.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core.exceptions import TooManyRequests
from app.core.timeutils import utcnow
from app.reports.models import ReportRenderLease


def _clear_expired(session: Session) -> None:
    session.execute(delete(ReportRenderLease).where(col(ReportRenderLease.expires_at) < utcnow()))


def acquire_lease(
    *, session: Session, key: str, user_id: int, ttl_seconds: float, per_user: int
) -> bool:
    """Take the lease on ``key``: ``True`` if this caller renders, ``False`` if another does.

    Raises :class:`TooManyRequests` when the user already has ``per_user``
    renders in flight (a render of the same report by someone else does not
    count: that caller only waits for it).
    """
    _clear_expired(session)
    holder = session.get(ReportRenderLease, key)
    if holder is not None:
        return False
    in_flight = session.exec(select(func.count()).where(ReportRenderLease.user_id == user_id)).one()
    if in_flight >= per_user:
        raise TooManyRequests(
            "You have reports rendering already; try again when they are ready",
            retry_after=10,
        )
    now = utcnow()
    try:
        with session.begin_nested():
            session.execute(
                insert(ReportRenderLease).values(
                    key=key,
                    user_id=user_id,
                    acquired_at=now,
                    expires_at=now + timedelta(seconds=ttl_seconds),
                )
            )
    except IntegrityError:  # another process inserted it between our read and insert
        return False
    return True


def lease_held(*, session: Session, key: str) -> bool:
    """Whether a live lease on ``key`` exists (someone is rendering it now)."""
    lease = session.get(ReportRenderLease, key)
    return lease is not None and lease.expires_at > utcnow()


def release_lease(*, session: Session, key: str) -> None:
    session.execute(delete(ReportRenderLease).where(col(ReportRenderLease.key) == key))
