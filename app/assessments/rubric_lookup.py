"""Finding the rubric a request names: 422 on an unknown id or version, and a fast path.

Creating an assessment needs the stored version row (to pin it). Stateless
scoring only needs the parsed rubric, and it is the hot path of integrators,
so :func:`rubric_named` asks the database for the version's content hash
alone (one small Core query; the stored document is tens of kilobytes of JSON) and
reads the parsed rubric from the rubrics domain's one cache keyed by that
hash (:func:`app.rubrics.service.rubric_by_hash`, the cache behind
:func:`~app.rubrics.service.rubric_of`). The document is loaded and parsed
only on a miss.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session

from app.core.exceptions import InvalidInput, NotFound, field_error
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import Rubric
from app.rubrics.service import get_rubric_version, get_rubric_version_by_pk, rubric_by_hash

# The hot-path queries, built once as Core statements on the table's columns:
# building, cache-keying and ORM-processing a statement per call cost more than
# running it (docs/benchmarks.md).
_VERSIONS: Table = RubricVersion.metadata.tables[str(RubricVersion.__tablename__)]
_HASH = sa_select(_VERSIONS.c.id, _VERSIONS.c.content_hash).where(
    _VERSIONS.c.rubric_id == bindparam("rubric_id")
)
_CURRENT_HASH = _HASH.where(_VERSIONS.c.is_current.is_(True))
_VERSION_HASH = _HASH.where(_VERSIONS.c.version == bindparam("version"))


def rubric_version_named(*, session: Session, rubric_id: str, version: str | None) -> RubricVersion:
    """The requested stored version (the current one without ``version``), or 422."""
    try:
        return get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    except NotFound:
        raise _unknown(session, rubric_id, version) from None


def rubric_named(*, session: Session, rubric_id: str, version: str | None) -> Rubric:
    """The parsed rubric of the requested version, or 422; see the module docstring."""
    if version is None:
        found = session.execute(_CURRENT_HASH, {"rubric_id": rubric_id}).first()
    else:
        found = session.execute(_VERSION_HASH, {"rubric_id": rubric_id, "version": version}).first()
    if found is None:
        raise _unknown(session, rubric_id, version)
    pk, content_hash = found
    return rubric_by_hash(
        content_hash=content_hash,
        load=lambda: get_rubric_version_by_pk(session=session, pk=pk).document,
    )


def _unknown(session: Session, rubric_id: str, version: str | None) -> InvalidInput:
    """422 on the field that names nothing: the version if the rubric exists, else the id."""
    if version is not None:
        try:
            get_rubric_version(session=session, rubric_id=rubric_id)
        except NotFound:
            pass
        else:
            return InvalidInput(
                f"Rubric '{rubric_id}' has no version {version}",
                errors=[field_error(["body", "version"], "no such version of this rubric")],
            )
    return InvalidInput(
        f"Unknown rubric '{rubric_id}'",
        errors=[field_error(["body", "rubric_id"], "no rubric with this id")],
    )
