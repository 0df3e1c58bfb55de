"""Every query of the assessments domain, in one place.

The service (:mod:`app.assessments.service`) decides who may do what and
calls these; nothing outside the domain imports this module -- other domains
read assessments through the service's functions, which return the plain
states of :mod:`app.assessments.state`. Reads that serve lists take many ids
at once and run a fixed number of statements however many rows they return
(``tests/coaching/test_query_counts.py`` counts them).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, delete, func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from app.assessments.models import Assessment, AssessmentLevel, AssessmentResponse, Status
from app.assessments.state import (
    AssessmentRecord,
    AssessmentState,
    AssessmentSummary,
    RubricRef,
    decode_value,
    encode_value,
)
from app.core.pagination import Cursor, Page, keyset_page
from app.core.timeutils import utcnow
from app.rubrics.models import RubricVersion
from app.rubrics.roles import limited_to_role
from app.rubrics.schemas import Rubric
from app.rubrics.service import rubric_of
from app.scoring import ResponseValue, ScoringResult


def get_row(session: Session, assessment_id: int, *, fresh: bool = False) -> Assessment | None:
    """The ORM row (for the service's writes); ``fresh`` re-reads it from the database."""
    return session.get(Assessment, assessment_id, populate_existing=fresh)


def rubric_version_of(session: Session, row: Assessment) -> RubricVersion:
    rubric_version = session.get(RubricVersion, row.rubric_version_id)
    assert rubric_version is not None  # a foreign key; versions are never deleted
    return rubric_version


def pinned_rubric_of(session: Session, row: Assessment) -> Rubric:
    """The whole rubric version ``row`` pins, parsed (from the rubrics domain's cache)."""
    return rubric_of(rubric_version_of(session, row))


def answers_of(session: Session, assessment_id: int) -> dict[str, ResponseValue]:
    rows = session.exec(
        select(AssessmentResponse.item_id, AssessmentResponse.value).where(
            AssessmentResponse.assessment_id == assessment_id
        )
    )
    return {item_id: decode_value(value) for item_id, value in rows}


def state_of(session: Session, row: Assessment) -> AssessmentState:
    """A snapshot of the row with its rubric and answers (two statements)."""
    rubric_version = rubric_version_of(session, row)
    assert row.id is not None
    pinned = rubric_of(rubric_version)
    return AssessmentState(
        assessment=AssessmentRecord.of(row),
        rubric_version=RubricRef.of(rubric_version),
        rubric=asked_rubric(pinned, row),
        responses=answers_of(session, row.id),
        pinned_rubric=pinned,
    )


def asked_rubric(pinned: Rubric, row: Assessment) -> Rubric:
    """The questionnaire of ``row``: the pinned rubric, or its role's part when limited."""
    role = pinned.roles_by_id.get(row.role_id) if row.role_only and row.role_id else None
    return limited_to_role(pinned, role) if role else pinned


def _summary_query() -> Any:
    return select(Assessment, RubricVersion).join(
        RubricVersion, col(RubricVersion.id) == col(Assessment.rubric_version_id)
    )


def _summaries(session: Session, rows: Sequence[Any]) -> list[AssessmentSummary]:
    """History lines of ``(Assessment, RubricVersion)`` rows, with one statement for the
    answer counts of them all."""
    counts: dict[int, int] = {}
    if rows:
        counted = session.exec(
            select(AssessmentResponse.assessment_id, func.count())
            .where(col(AssessmentResponse.assessment_id).in_([a.id for a, _ in rows]))
            .group_by(col(AssessmentResponse.assessment_id))
        )
        counts = dict(counted.all())
    return [
        AssessmentSummary(
            assessment=AssessmentRecord.of(a),
            rubric_version=RubricRef.of(rv),
            rubric=asked_rubric(rubric_of(rv), a),
            answered=counts.get(a.id or 0, 0),
        )
        for a, rv in rows
    ]


def summaries_of(
    session: Session,
    *,
    participant_ids: Collection[int] = (),
    assessment_ids: Collection[int] = (),
) -> list[AssessmentSummary]:
    """History lines of some participants' (or some) assessments, oldest first.

    Two statements whatever the number of participants or assessments: the
    rows with their rubric versions, then the answer counts.
    """
    if not participant_ids and not assessment_ids:
        return []
    query = _summary_query()
    if participant_ids:
        query = query.where(col(Assessment.participant_id).in_(list(participant_ids)))
    if assessment_ids:
        query = query.where(col(Assessment.id).in_(list(assessment_ids)))
    rows = session.exec(query.order_by(col(Assessment.created_at), col(Assessment.id))).all()
    return _summaries(session, rows)


def assessments_scope(participant_id: int) -> str:
    return f"assessments:{participant_id}"


def summaries_page(
    session: Session,
    *,
    participant_id: int,
    after: Cursor | None,
    limit: int,
    status: Status | None = None,
    newest_first: bool = False,
) -> Page[AssessmentSummary]:
    """One page of a participant's history, oldest first (``newest_first``: the home's
    order): a keyset on the index ``(participant_id, created_at, id)``; ``status``
    filters within that range. Each order has its own cursor scope."""
    query = _summary_query().where(col(Assessment.participant_id) == participant_id)
    if status is not None:
        query = query.where(col(Assessment.status) == status.value)
    page = keyset_page(
        session,
        query,
        sort=col(Assessment.created_at),
        id_column=col(Assessment.id),
        after=after,
        limit=limit,
        key_of=lambda row: Cursor(key=row[0].created_at, id=row[0].id),
        scope=history_scope(participant_id) if newest_first else assessments_scope(participant_id),
        descending=newest_first,
        scalars=False,
    )
    return Page(items=_summaries(session, page.items), next_cursor=page.next_cursor)


def history_scope(participant_id: int) -> str:
    """The cursor scope of the participant home's history (newest first)."""
    return f"history:{participant_id}"


def latest_submitted_per_rubric(
    session: Session, *, participant_id: int
) -> list[AssessmentSummary]:
    """The newest submitted assessment of each rubric the participant took, newest first.

    Two statements however long the history: the rows (a window ranks each
    rubric's submissions, newest first, and keeps the first) and their answer
    counts; the rows read are one per rubric, not one per assessment.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=col(RubricVersion.rubric_id),
            order_by=(col(Assessment.submitted_at).desc(), col(Assessment.id).desc()),
        )
        .label("rank")
    )
    ranked = (
        sql_select(col(Assessment.id).label("assessment_id"), rank)
        .join(RubricVersion, col(RubricVersion.id) == col(Assessment.rubric_version_id))
        .where(
            col(Assessment.participant_id) == participant_id,
            col(Assessment.status) == Status.submitted.value,
        )
        .subquery()
    )
    query = (
        _summary_query()
        .join(ranked, ranked.c.assessment_id == col(Assessment.id))
        .where(ranked.c.rank == 1)
        .order_by(col(Assessment.submitted_at).desc(), col(Assessment.id).desc())
    )
    return _summaries(session, session.exec(query).all())


def newest_rubric_id(session: Session, *, participant_id: int) -> str | None:
    """The rubric of the participant's most recently started assessment (one indexed row)."""
    statement = (
        sql_select(col(RubricVersion.rubric_id))
        .join(Assessment, col(RubricVersion.id) == col(Assessment.rubric_version_id))
        .where(col(Assessment.participant_id) == participant_id)
        .order_by(col(Assessment.created_at).desc(), col(Assessment.id).desc())
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def replace_answers(
    session: Session, assessment_id: int, responses: Mapping[str, ResponseValue | None]
) -> None:
    """Write the given items (``None`` clears one); the others keep what they hold."""
    session.exec(
        delete(AssessmentResponse).where(
            col(AssessmentResponse.assessment_id) == assessment_id,
            col(AssessmentResponse.item_id).in_(list(responses)),
        )
    )
    now = utcnow()
    session.add_all(
        AssessmentResponse(
            assessment_id=assessment_id, item_id=item_id, value=encode_value(value), updated_at=now
        )
        for item_id, value in responses.items()
        if value is not None
    )
    session.flush()


def move_to_version(
    session: Session, row: Assessment, rubric_version_id: int, keep: Collection[str]
) -> None:
    """Pin ``row`` to another rubric version, keeping only the answers to ``keep``.

    The caller has claimed the row (its version is bumped and it is locked), so
    the answers read for the plan are the ones this deletes from.
    """
    assert row.id is not None
    session.exec(
        delete(AssessmentResponse).where(
            col(AssessmentResponse.assessment_id) == row.id,
            col(AssessmentResponse.item_id).not_in(list(keep)),
        )
    )
    row.upgraded_from_id = row.rubric_version_id
    row.rubric_version_id = rubric_version_id
    session.add(row)
    session.flush()


def delete_in_progress(session: Session, assessment_id: int, expected: int | None) -> bool:
    """Delete an assessment still in progress (at ``expected``, if given); whether it was."""
    statement = delete(Assessment).where(
        col(Assessment.id) == assessment_id, col(Assessment.status) == Status.in_progress.value
    )
    if expected is not None:
        statement = statement.where(col(Assessment.version) == expected)
    outcome = session.exec(statement.execution_options(synchronize_session=False))
    return bool(outcome.rowcount == 1)


def store_levels(session: Session, assessment_id: int, result: ScoringResult) -> None:
    """Write the self level of every behavior of a just-scored assessment."""
    session.add_all(
        AssessmentLevel(
            assessment_id=assessment_id,
            behavior_id=behavior.id,
            competency_id=competency.id,
            level=behavior.level,
        )
        for competency in result.competencies
        for behavior in competency.behaviors
    )
    session.flush()


def self_levels() -> Select[Any]:
    """``(assessment_id, behavior_id, competency_id, level)`` of every submitted assessment.

    A statement, not rows: the programmes domain joins it to its own tables
    and aggregates in the database.
    """
    columns: list[Any] = [
        col(AssessmentLevel.assessment_id).label("assessment_id"),
        col(AssessmentLevel.behavior_id).label("behavior_id"),
        col(AssessmentLevel.competency_id).label("competency_id"),
        col(AssessmentLevel.level).label("level"),
    ]
    return sql_select(*columns)


def ids_where(session: Session, *conditions: Any) -> list[int]:
    """Assessment ids matching ``conditions``, in id order (for erasure and retention)."""
    rows = session.exec(select(Assessment.id).where(*conditions).order_by(col(Assessment.id)))
    return [i for i in rows.all() if i is not None]


def delete_many(session: Session, assessment_ids: Collection[int]) -> int:
    """Delete these assessments; the database cascades to every row that hangs off them."""
    if not assessment_ids:
        return 0
    outcome = session.exec(
        delete(Assessment)
        .where(col(Assessment.id).in_(list(assessment_ids)))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(outcome.rowcount or 0)


def submitted_answers(
    session: Session, rubric_version_id: int, *, limit: int
) -> list[dict[str, ResponseValue]]:
    """The answers of the newest ``limit`` submitted assessments of one rubric version.

    Rubric health's input (``app.scoring.health``): answer sets only, no
    participant or assessment ids, in a stable order. Two statements: the ids,
    then their answers.
    """
    ids = session.exec(
        select(Assessment.id)
        .where(
            col(Assessment.rubric_version_id) == rubric_version_id,
            col(Assessment.status) == Status.submitted.value,
        )
        .order_by(col(Assessment.submitted_at).desc(), col(Assessment.id).desc())
        .limit(limit)
    ).all()
    if not ids:
        return []
    answers: dict[int, dict[str, ResponseValue]] = {
        assessment_id: {} for assessment_id in ids if assessment_id is not None
    }
    rows = session.exec(
        select(
            AssessmentResponse.assessment_id, AssessmentResponse.item_id, AssessmentResponse.value
        ).where(col(AssessmentResponse.assessment_id).in_(list(answers)))
    )
    for assessment_id, item_id, value in rows:
        answers[assessment_id][item_id] = decode_value(value)
    return [answers[assessment_id] for assessment_id in sorted(answers)]
