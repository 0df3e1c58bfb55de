"""The assessment lifecycle: create, autosave, resume, submit, read results and history.

Concurrency: every write first *claims* the assessment with one conditional
statement, ``UPDATE assessments SET version = version + 1 ... WHERE id = :id
AND version = :expected AND status = 'in_progress'``. The database decides
atomically, across workers and machines, which of two writers based on the
same version wins; the loser matches no row and gets :class:`AssessmentConflict`
(409) carrying the current state, never a silent overwrite. Once claimed, the
row is locked for the rest of the transaction (PostgreSQL row lock, SQLite
write lock), so the answers written or read after it are consistent with the
new version.

Authorization goes through :mod:`app.accounts.policy`: only the participant
changes their assessments; they, their assigned coaches and admins read them;
anyone else gets 404. Functions only flush; the caller's session scope commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import delete, func, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import User
from app.assessments.models import Assessment, AssessmentResponse, Status
from app.assessments.rubric_lookup import rubric_named, rubric_version_named
from app.assessments.schemas import AssessmentOut
from app.assessments.state import AssessmentState, AssessmentSummary, decode_value, encode_value
from app.assessments.versioning import etag
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.timeutils import utcnow
from app.rubrics.models import RubricVersion
from app.rubrics.service import rubric_of
from app.scoring import (
    ResponseProblem,
    ScoringResult,
    score_document,
    score_responses,
    validate_responses,
)

WHAT = "Assessment"
#: SQLite's primary result code for "database is locked" (extended codes share the low byte).
SQLITE_BUSY = 5
T = TypeVar("T")


class AssessmentConflict(Conflict):
    """409: a stale version, or a change to a submitted assessment.

    The body's ``current`` is the assessment as it is now (the API's
    ``AssessmentOut``) and ``ETag`` its version, so a client can merge its
    pending answers and retry without another round trip. Pages use ``state``.
    """

    def __init__(self, detail: str, state: AssessmentState):
        super().__init__(detail, current=AssessmentOut.of(state).model_dump(mode="json"))
        self.state = state
        self.headers = {"ETag": etag(state.version)}


# --- reading ---------------------------------------------------------------------------


def _load(session: Session, assessment_id: int) -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"{WHAT} not found")
    return row


def _viewable(session: Session, user: User, assessment_id: int) -> Assessment:
    row = _load(session, assessment_id)
    policy.ensure_can_view(session=session, user=user, participant_id=row.participant_id, what=WHAT)
    return row


def _owned(session: Session, user: User, assessment_id: int) -> Assessment:
    row = _load(session, assessment_id)
    policy.ensure_owner(user=user, participant_id=row.participant_id, what=WHAT)
    return row


def _state(session: Session, row: Assessment) -> AssessmentState:
    rubric_version = session.get(RubricVersion, row.rubric_version_id)
    assert rubric_version is not None  # a foreign key; versions are never deleted
    answers = session.exec(
        select(AssessmentResponse.item_id, AssessmentResponse.value).where(
            AssessmentResponse.assessment_id == row.id
        )
    )
    return AssessmentState(
        assessment=row,
        rubric_version=rubric_version,
        responses={item_id: decode_value(value) for item_id, value in answers},
    )


def get_assessment_for(*, session: Session, user: User, assessment_id: int) -> AssessmentState:
    """An assessment with its answers, for its owner, their coaches and admins."""
    return _state(session, _viewable(session, user, assessment_id))


def get_result(*, session: Session, user: User, assessment_id: int) -> ScoringResult:
    """The result stored at submission; 409 while the assessment is in progress."""
    row = _viewable(session, user, assessment_id)
    if not row.is_submitted or row.result is None:
        raise Conflict(f"{WHAT} not submitted yet: it has no result", status=row.status)
    return ScoringResult.model_validate(row.result)


def list_assessments_for(
    *, session: Session, user: User, participant_id: int
) -> list[AssessmentSummary]:
    """A participant's history, oldest first, with each submitted result as stored."""
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    if user.id != participant_id and session.get(User, participant_id) is None:
        raise NotFound("Participant not found")  # admins asking about nobody
    rows = session.exec(
        select(Assessment, RubricVersion)
        .join(RubricVersion, col(RubricVersion.id) == col(Assessment.rubric_version_id))
        .where(Assessment.participant_id == participant_id)
        .order_by(col(Assessment.created_at), col(Assessment.id))
    ).all()
    counts: dict[int, int] = {}
    if rows:
        counted = session.exec(
            select(AssessmentResponse.assessment_id, func.count())
            .where(col(AssessmentResponse.assessment_id).in_([a.id for a, _ in rows]))
            .group_by(col(AssessmentResponse.assessment_id))
        )
        counts = dict(counted.all())
    return [
        AssessmentSummary(assessment=a, rubric_version=rv, answered=counts.get(a.id or 0, 0))
        for a, rv in rows
    ]


def list_my_assessments(*, session: Session, user: User) -> list[AssessmentSummary]:
    assert user.id is not None
    return list_assessments_for(session=session, user=user, participant_id=user.id)


# --- writing ---------------------------------------------------------------------------


def _invalid_answers(problems: list[ResponseProblem]) -> InvalidInput:
    return InvalidInput(
        f"{len(problems)} answer(s) cannot be accepted",
        errors=[field_error(["body", "responses", p.item_id], p.message) for p in problems],
    )


def _conflict(session: Session, row: Assessment, expected: int | None) -> Exception:
    """Why a claim failed, with the current state (or 404 if it was deleted meanwhile)."""
    current = session.get(Assessment, row.id, populate_existing=True)
    if current is None:
        return NotFound(f"{WHAT} not found")
    state = _state(session, current)
    if current.is_submitted:
        return AssessmentConflict("Submitted assessments are immutable", state)
    return AssessmentConflict(
        f"Version {expected} is stale: the assessment is at version {current.version}. "
        "Merge your unsaved answers onto 'current' and retry with its version.",
        state,
    )


def _first_write(session: Session, write: Callable[[], T]) -> T:
    """Run the transaction's first write; on SQLite, once more if its snapshot went stale.

    SQLite (WAL) cannot turn a read transaction into a write transaction once
    another connection has committed since its first read (the request's
    authentication read, say): it fails at once with SQLITE_BUSY instead of
    waiting. Such a transaction has written nothing -- a writer would hold the
    lock -- so rolling it back loses nothing, and the write is decided again in
    a fresh transaction, where the busy timeout applies. PostgreSQL never gets
    here: its conditional UPDATE waits for the row lock and re-checks.
    """
    try:
        return write()
    except OperationalError as exc:
        if getattr(exc.orig, "sqlite_errorcode", 0) & 0xFF != SQLITE_BUSY:
            raise
    session.rollback()
    return write()


def _claim(session: Session, row: Assessment, expected: int) -> None:
    """Atomically bump the version if it is still ``expected`` (see module docstring)."""
    statement = (
        update(Assessment)
        .where(
            col(Assessment.id) == row.id,
            col(Assessment.version) == expected,
            col(Assessment.status) == Status.in_progress.value,
        )
        .values(version=col(Assessment.version) + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    outcome = _first_write(session, lambda: session.exec(statement))
    if outcome.rowcount != 1:
        raise _conflict(session, row, expected)
    session.refresh(row)


def create_assessment(
    *,
    session: Session,
    user: User,
    rubric_id: str,
    version: str | None = None,
    title: str | None = None,
) -> AssessmentState:
    """Start an assessment for the caller, pinned to the rubric's current (or given) version."""
    rubric_version = rubric_version_named(session=session, rubric_id=rubric_id, version=version)
    assert user.id is not None and rubric_version.id is not None
    row = Assessment(
        participant_id=user.id,
        rubric_version_id=rubric_version.id,
        title=(title or "").strip() or None,
    )

    def insert() -> None:
        session.add(row)
        session.flush()

    _first_write(session, insert)
    return AssessmentState(assessment=row, rubric_version=rubric_version, responses={})


def save_responses(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    expected_version: int,
    responses: Mapping[str, object],
) -> AssessmentState:
    """Autosave some answers (``None`` clears one), based on ``expected_version``.

    Only the items given change; the others keep what any tab saved. Every
    value is checked against the pinned rubric first (422 naming each bad
    item); a stale ``expected_version`` or a submitted assessment is a 409
    with the current state. Returns the new state (version + 1).
    """
    row = _owned(session, user, assessment_id)
    if row.is_submitted:
        raise _conflict(session, row, expected_version)
    rubric_version = session.get(RubricVersion, row.rubric_version_id)
    assert rubric_version is not None
    problems = validate_responses(rubric_of(rubric_version), responses)
    if problems:
        raise _invalid_answers(problems)
    if not responses:  # nothing to change: only confirm the client is current
        if row.version != expected_version:
            raise _conflict(session, row, expected_version)
        return _state(session, row)
    _claim(session, row, expected_version)
    session.exec(
        delete(AssessmentResponse).where(
            col(AssessmentResponse.assessment_id) == row.id,
            col(AssessmentResponse.item_id).in_(list(responses)),
        )
    )
    assert row.id is not None
    now = utcnow()
    session.add_all(
        AssessmentResponse(
            assessment_id=row.id, item_id=item_id, value=encode_value(value), updated_at=now
        )
        for item_id, value in responses.items()
        if value is not None and isinstance(value, int | str)  # validated above; narrows the type
    )
    session.flush()
    return _state(session, row)


def submit_assessment(
    *, session: Session, user: User, assessment_id: int, expected_version: int
) -> AssessmentState:
    """Score a complete assessment, store the result with its method, and freeze it.

    422 listing every unanswered item when incomplete (n/a counts as an
    answer); 409 when stale or already submitted. The result is computed once,
    here, and never again.
    """
    row = _owned(session, user, assessment_id)
    if row.is_submitted:
        raise _conflict(session, row, expected_version)
    _claim(session, row, expected_version)
    state = _state(session, row)
    if state.missing:
        raise InvalidInput(
            f"{len(state.missing)} item(s) not answered yet; answer them (or 'n/a' where "
            "allowed) before submitting",
            errors=[
                field_error(["responses", i], "not answered", "missing") for i in state.missing
            ],
            missing=state.missing,
        )
    result = score_responses(state.rubric, state.responses)
    now = row.updated_at
    row.status = Status.submitted.value
    row.submitted_at = now
    row.result = result.model_dump(mode="json")
    row.method = result.method
    session.add(row)
    session.flush()
    return state


def delete_assessment(
    *, session: Session, user: User, assessment_id: int, expected_version: int | None = None
) -> None:
    """Discard an assessment in progress (owner only). Submitted ones are kept: 409.

    ``expected_version`` is optional: a discard is deliberate, but a client
    that sends it is protected against discarding answers it has not seen.
    """
    row = _owned(session, user, assessment_id)
    statement = delete(Assessment).where(
        col(Assessment.id) == row.id, col(Assessment.status) == Status.in_progress.value
    )
    if expected_version is not None:
        statement = statement.where(col(Assessment.version) == expected_version)
    statement = statement.execution_options(synchronize_session=False)
    outcome = _first_write(session, lambda: session.exec(statement))
    if outcome.rowcount != 1:
        raise _conflict(session, row, expected_version)
    session.expunge(row)  # the database cascaded its answers


def score_stateless(
    *,
    session: Session,
    rubric_id: str,
    version: str | None = None,
    responses: Mapping[str, Any],
) -> dict[str, Any]:
    """Score answers against a stored rubric without storing anything (integrators).

    Partial answers are fine (``answered`` says how many); every bad item is
    reported at once as a 422 located at ``["body", "responses", item_id]``.
    Returns the result as plain data in the :class:`ScoringResult` shape:
    nothing keeps it, so it goes straight to JSON (docs/benchmarks.md).
    """
    rubric = rubric_named(session=session, rubric_id=rubric_id, version=version)
    problems = validate_responses(rubric, responses)
    if problems:
        raise _invalid_answers(problems)
    return score_document(rubric, responses)
