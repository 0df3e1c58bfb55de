"""Every query of the reports domain: the PDF cache rows, the share links and render leases.

The one module that reads and writes ``report_cache``, ``report_share_links``
and ``report_render_leases``; services call these functions and never build a
statement themselves. Other domains never import this module (an
import-linter contract in ``pyproject.toml``): they go through
:mod:`app.reports.service`. Functions only add and flush; the caller's
session commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.reports.models import ReportCache, ReportRenderLease, ReportShareLink

# -- the PDF cache ----------------------------------------------------------------------------


def get_cache_row(*, session: Session, key: str) -> ReportCache | None:
    return session.get(ReportCache, key)


def delete_other_renders(
    *, session: Session, assessment_id: int, paper: str, keep: str
) -> list[str]:
    """Delete the assessment's cached renders on this paper except ``keep``; their keys."""
    stale = list(
        session.exec(
            select(ReportCache.key)
            .where(ReportCache.assessment_id == assessment_id)
            .where(ReportCache.paper == paper)
            .where(col(ReportCache.key) != keep)
        )
    )
    if stale:
        session.execute(delete(ReportCache).where(col(ReportCache.key).in_(stale)))
    return stale


def add_cache_row(
    *, session: Session, key: str, assessment_id: int, paper: str, pdf: bytes | None, size: int
) -> None:
    """Record a render once: a second insert of the same key (another worker) is absorbed.

    The insert runs in a savepoint, so losing that race leaves the caller's
    transaction intact.
    """
    if session.get(ReportCache, key) is not None:
        return
    try:
        with session.begin_nested():
            session.add(
                ReportCache(key=key, assessment_id=assessment_id, paper=paper, pdf=pdf, size=size)
            )
    except IntegrityError:
        pass  # another worker stored the same render first


# -- share links ------------------------------------------------------------------------------


def add_share_link(
    *,
    session: Session,
    assessment_id: int,
    created_by: int,
    secret_hash: str,
    paper: str,
    expires_at: datetime,
) -> ReportShareLink:
    link = ReportShareLink(
        assessment_id=assessment_id,
        created_by=created_by,
        secret_hash=secret_hash,
        paper=paper,
        expires_at=expires_at,
    )
    session.add(link)
    session.flush()
    return link


def get_share_link(*, session: Session, link_id: int) -> ReportShareLink | None:
    return session.get(ReportShareLink, link_id)


def find_share_link(*, session: Session, secret_hash: str) -> ReportShareLink | None:
    return session.exec(
        select(ReportShareLink).where(ReportShareLink.secret_hash == secret_hash)
    ).first()


def share_links_of(*, session: Session, assessment_id: int) -> Sequence[ReportShareLink]:
    """An assessment's links, newest first (revoked and expired ones included)."""
    return session.exec(
        select(ReportShareLink)
        .where(ReportShareLink.assessment_id == assessment_id)
        .order_by(col(ReportShareLink.created_at).desc(), col(ReportShareLink.id).desc())
    ).all()


def mark_revoked(*, session: Session, link: ReportShareLink, at: datetime) -> None:
    link.revoked_at = at
    session.add(link)
    session.flush()


# -- render leases ----------------------------------------------------------------------------


def delete_expired_leases(*, session: Session, now: datetime) -> None:
    session.execute(delete(ReportRenderLease).where(col(ReportRenderLease.expires_at) < now))


def get_lease(*, session: Session, key: str) -> ReportRenderLease | None:
    return session.get(ReportRenderLease, key)


def count_leases_of(*, session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).where(ReportRenderLease.user_id == user_id)).one()


def insert_lease(
    *, session: Session, key: str, user_id: int, now: datetime, expires_at: datetime
) -> bool:
    """Insert the lease; ``False`` when another process holds ``key`` already."""
    try:
        with session.begin_nested():
            session.execute(
                insert(ReportRenderLease).values(
                    key=key, user_id=user_id, acquired_at=now, expires_at=expires_at
                )
            )
    except IntegrityError:
        return False
    return True


def delete_lease(*, session: Session, key: str) -> None:
    session.execute(delete(ReportRenderLease).where(col(ReportRenderLease.key) == key))


def delete_renders_of(*, session: Session, assessment_ids: Sequence[int]) -> list[str]:
    """Delete the cached renders of these assessments; the keys (file names) they had."""
    if not assessment_ids:
        return []
    where = col(ReportCache.assessment_id).in_(list(assessment_ids))
    keys = list(session.exec(select(ReportCache.key).where(where)).all())
    session.execute(delete(ReportCache).where(where))
    return keys
