"""Rubric versions: loading files into the database and reading them back."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core.exceptions import NotFound, StepwiseError
from app.rubrics import case
from app.rubrics.diff import RubricDiff, diff_rubrics
from app.rubrics.loader import LoadedRubric, parse_rubric
from app.rubrics.models import SOURCE_UPLOAD, RubricVersion
from app.rubrics.schemas import Rubric


class RubricVersionConflict(StepwiseError):
    """A file changed without a version bump: refusing keeps pinned results honest."""

    status_code = 409


def sync_rubrics(*, session: Session, loaded: list[LoadedRubric]) -> list[RubricVersion]:
    """Store every loaded rubric version that is new and mark the loaded ones current.

    Idempotent, and safe when several workers start at once: a concurrent
    insert of the same version is detected by the unique constraint and re-read.
    """
    stored: list[RubricVersion] = []
    for item in loaded:
        row = _find(session, item.rubric.id, item.rubric.version)
        if row is None:
            row = RubricVersion(
                rubric_id=item.rubric.id,
                version=item.rubric.version,
                title=item.rubric.title,
                content_hash=item.content_hash,
                document=item.rubric.model_dump(mode="json"),
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                row = _find(session, item.rubric.id, item.rubric.version)
                assert row is not None
        if row.content_hash != item.content_hash:
            raise RubricVersionConflict(
                f"{item.path}: rubric '{item.rubric.id}' version {item.rubric.version} is already "
                "stored with different content. Assessments pin versions, so an edited rubric "
                "needs a new `version` value."
            )
        stored.append(row)
    current_ids = {(row.rubric_id, row.version) for row in stored}
    rows = list(
        session.exec(
            select(RubricVersion).where(
                col(RubricVersion.rubric_id).in_({r for r, _ in current_ids})
            )
        )
    )
    outranked = _outdated_by_uploads(rows, current_ids)
    current_ids -= outranked
    for row in rows:
        if row.rubric_id not in {rubric_id for rubric_id, _ in outranked}:
            row.is_current = (row.rubric_id, row.version) in current_ids
            session.add(row)
    session.flush()
    return stored


def _outdated_by_uploads(
    rows: list[RubricVersion], loaded: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The directory's versions that a current upload stored after them outranks.

    An admin's upload stays current across restarts until the directory brings
    a version stored later than it (docs/rubric-admin.md).
    """
    loaded_at = {(r.rubric_id, r.version): r.loaded_at for r in rows}
    return {
        key
        for row in rows
        if row.is_current and row.source == SOURCE_UPLOAD
        for key in loaded
        if key[0] == row.rubric_id and loaded_at[key] < row.loaded_at
    }


def _find(session: Session, rubric_id: str, version: str) -> RubricVersion | None:
    return session.exec(
        select(RubricVersion).where(
            RubricVersion.rubric_id == rubric_id, RubricVersion.version == version
        )
    ).first()


def list_current_rubrics(*, session: Session) -> list[RubricVersion]:
    return list(
        session.exec(
            select(RubricVersion)
            .where(col(RubricVersion.is_current).is_(True))
            .order_by(col(RubricVersion.rubric_id))
        )
    )


def list_rubric_versions(*, session: Session) -> list[RubricVersion]:
    """Every stored version of every rubric: by rubric id, newest stored first."""
    return list(
        session.exec(
            select(RubricVersion).order_by(
                col(RubricVersion.rubric_id), col(RubricVersion.loaded_at).desc()
            )
        )
    )


def diff_versions(
    *, session: Session, rubric_id: str, from_version: str, to_version: str
) -> RubricDiff:
    """What changed from one stored version of a rubric to another; ``NotFound`` for either."""
    old = get_rubric_version(session=session, rubric_id=rubric_id, version=from_version)
    new = get_rubric_version(session=session, rubric_id=rubric_id, version=to_version)
    return diff_rubrics(rubric_of(old), rubric_of(new))


def get_rubric_version(
    *, session: Session, rubric_id: str, version: str | None = None
) -> RubricVersion:
    """The named version, or the current one; ``NotFound`` otherwise."""
    query = select(RubricVersion).where(RubricVersion.rubric_id == rubric_id)
    query = (
        query.where(RubricVersion.version == version)
        if version is not None
        else query.where(col(RubricVersion.is_current).is_(True))
    )
    row = session.exec(query).first()
    if row is None:
        raise NotFound(
            f"Rubric '{rubric_id}'" + (f" version {version}" if version else "") + " not found"
        )
    return row


def get_rubric_version_by_pk(*, session: Session, pk: int) -> RubricVersion:
    row = session.get(RubricVersion, pk)
    if row is None:
        raise NotFound("Rubric version not found")
    return row


def rubric_of(row: RubricVersion) -> Rubric:
    """The validated model of a stored version.

    Parsing is cached per content hash: a stored version is immutable, so the
    cache is derived data that every worker computes identically, not state.
    """
    return _parse_cached(row.content_hash, Unkeyed(lambda: row.document))


def rubric_by_hash(*, content_hash: str, load: Callable[[], dict[str, Any]]) -> Rubric:
    """The parsed rubric of a content hash, calling ``load`` for the document only on a miss.

    The same cache as :func:`rubric_of` (there is one), for hot paths that
    know the hash without loading the stored document (stateless scoring).
    """
    return _parse_cached(content_hash, Unkeyed(load))


class Unkeyed:
    """Carries how to load a cache entry's input into an ``lru_cache`` without keying on it
    (the other arguments, content hashes, are the key)."""

    __slots__ = ("load",)

    def __init__(self, load: Callable[[], Any]):
        self.load = load

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return True


@lru_cache(maxsize=64)
def _parse_cached(content_hash: str, holder: Unkeyed) -> Rubric:
    return parse_rubric(holder.load(), source=f"stored rubric {content_hash[:12]}")


def find_case_version(*, session: Session, package_id: str) -> RubricVersion:
    """The current rubric version whose CASE CFDocument id is ``package_id``; ``NotFound``.

    Identifiers are derived from rubric ids (app.rubrics.case), so the lookup
    computes each current rubric's document id rather than storing it.
    """
    for row in list_current_rubrics(session=session):
        if case.document_id(row.rubric_id) == package_id:
            return row
    raise NotFound("CFPackage not found")
