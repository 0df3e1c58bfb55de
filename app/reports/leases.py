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

from sqlmodel import Session

from app.core.exceptions import TooManyRequests
from app.core.timeutils import utcnow
from app.reports import repository


def acquire_lease(
    *, session: Session, key: str, user_id: int, ttl_seconds: float, per_user: int
) -> bool:
    """Take the lease on ``key``: ``True`` if this caller renders, ``False`` if another does.

    Raises :class:`TooManyRequests` when the user already has ``per_user``
    renders in flight (a render of the same report by someone else does not
    count: that caller only waits for it).
    """
    now = utcnow()
    repository.delete_expired_leases(session=session, now=now)
    if repository.get_lease(session=session, key=key) is not None:
        return False
    if repository.count_leases_of(session=session, user_id=user_id) >= per_user:
        raise TooManyRequests(
            "You have reports rendering already; try again when they are ready",
            retry_after=10,
        )
    return repository.insert_lease(
        session=session,
        key=key,
        user_id=user_id,
        now=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )


def lease_held(*, session: Session, key: str) -> bool:
    """Whether a live lease on ``key`` exists (someone is rendering it now)."""
    lease = repository.get_lease(session=session, key=key)
    return lease is not None and lease.expires_at > utcnow()


def release_lease(*, session: Session, key: str) -> None:
    repository.delete_lease(session=session, key=key)
