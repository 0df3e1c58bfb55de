"""The assessment lifecycle: create, autosave, resume, submit, read results and history.

Concurrency: every write first *claims* the assessment with
:func:`app.core.versioning.claim_version` (``... WHERE id = :id AND version =
:expected AND status = 'in_progress'``); the loser of two writers based on
the same version gets :class:`~app.core.versioning.VersionConflict` (409) carrying the current
state, never a silent overwrite. Queries are in :mod:`.repository`.

Authorization goes through :mod:`app.accounts.policy`: only the participant
changes their assessments; they, their assigned coaches and admins read them;
anyone else gets 404. Functions only flush; the caller's session scope commits.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col

from app.accounts import policy
from app.accounts.models import User
from app.assessments import repository
from app.assessments.models import Assessment, Status
from app.assessments.refusals import (
    WHAT,
    claim,
    conflict,
    invalid_answers,
    refuse_when_closed,
)
from app.assessments.rubric_lookup import rubric_named, rubric_version_named
from app.assessments.state import AssessmentState, AssessmentSummary
from app.core import events
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.pagination import Page, decode_cursor
from app.core.timeutils import utcnow
from app.rubrics.service import rubric_of
from app.scoring import (
    ScoringResult,
    score_document,
    score_responses,
    validate_responses,
)

# --- reading ---------------------------------------------------------------------------


def _load(session: Session, assessment_id: int) -> Assessment:
    row = repository.get_row(session, assessment_id)
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


def get_assessment_for(*, session: Session, user: User, assessment_id: int) -> AssessmentState:
    """An assessment with its answers, for its owner, their coaches and admins."""
    return repository.state_of(session, _viewable(session, user, assessment_id))


def get_own_assessment(*, session: Session, user: User, assessment_id: int) -> AssessmentState:
    """The questionnaire and review are the participant's own: anyone else gets 404."""
    return repository.state_of(session, _owned(session, user, assessment_id))


def get_result(*, session: Session, user: User, assessment_id: int) -> ScoringResult:
    """The result stored at submission; 409 while the assessment is in progress."""
    row = _viewable(session, user, assessment_id)
    if not row.is_submitted or row.result is None:
        raise Conflict(f"{WHAT} not submitted yet: it has no result", status=row.status)
    return ScoringResult.model_validate(row.result)


def get_comparison(
    *, session: Session, user: User, a: int, b: int
) -> tuple[AssessmentState, AssessmentState]:
    """Two submitted assessments of one participant, older first (404 across participants)."""
    first = get_assessment_for(session=session, user=user, assessment_id=a)
    second = get_assessment_for(session=session, user=user, assessment_id=b)
    if first.assessment.participant_id != second.assessment.participant_id:
        raise NotFound("Comparison not found")
    for state in (first, second):
        if not state.assessment.is_submitted:
            raise Conflict(
                f"{WHAT} not submitted yet: it has no result", status=state.assessment.status
            )
    older, newer = sorted((first, second), key=lambda s: (s.assessment.taken_at, s.id))
    return older, newer


def _check_participant(*, session: Session, user: User, participant_id: int) -> None:
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    if user.id != participant_id and session.get(User, participant_id) is None:
        raise NotFound("Participant not found")  # admins asking about nobody


def list_assessments_for(
    *, session: Session, user: User, participant_id: int
) -> list[AssessmentSummary]:
    """A participant's history, oldest first, with each submitted result as stored."""
    _check_participant(session=session, user=user, participant_id=participant_id)
    return repository.summaries_of(session, participant_ids=[participant_id])


def list_my_assessments(*, session: Session, user: User) -> list[AssessmentSummary]:
    assert user.id is not None
    return list_assessments_for(session=session, user=user, participant_id=user.id)


def page_assessments_for(
    *,
    session: Session,
    user: User,
    participant_id: int,
    after: str | None,
    limit: int,
    status: Status | None = None,
) -> Page[AssessmentSummary]:
    """One page of a participant's history (the API's lists); ``after`` is the cursor text,
    checked against this participant's list (a cursor of another list is a 422)."""
    _check_participant(session=session, user=user, participant_id=participant_id)
    return repository.summaries_page(
        session,
        participant_id=participant_id,
        after=decode_cursor(after, scope=repository.assessments_scope(participant_id)),
        limit=limit,
        status=status,
    )


# --- reading for other domains (the caller has authorized) -------------------------------


def find_assessment(*, session: Session, assessment_id: int) -> AssessmentSummary:
    """One assessment's history line, or 404; for domains that check access themselves.

    Coaching and reports authorize through :mod:`app.accounts.policy` with the
    summary's ``participant_id`` before they show anything of it.
    """
    found = repository.summaries_of(session, assessment_ids=[assessment_id])
    if not found:
        raise NotFound(f"{WHAT} not found")
    return found[0]


def find_assessments(
    *, session: Session, assessment_ids: Collection[int]
) -> list[AssessmentSummary]:
    """Several assessments' history lines in two statements (the caller has authorized)."""
    return repository.summaries_of(session, assessment_ids=assessment_ids)


def history_of(
    *, session: Session, participant_ids: Collection[int]
) -> dict[int, list[AssessmentSummary]]:
    """Each participant's assessments, oldest first, in a fixed number of statements.

    For the coach overview and growth (the caller has authorized every id);
    a participant without assessments maps to an empty list.
    """
    history: dict[int, list[AssessmentSummary]] = {pid: [] for pid in participant_ids}
    for summary in repository.summaries_of(session, participant_ids=participant_ids):
        history[summary.assessment.participant_id].append(summary)
    return history


# --- writing ---------------------------------------------------------------------------


def create_assessment(
    *,
    session: Session,
    user: User,
    rubric_id: str,
    version: str | None = None,
    title: str | None = None,
    closes_at: datetime | None = None,
) -> AssessmentState:
    """Start an assessment for ``user``, pinned to the rubric's current (or given) version.

    ``closes_at``: submitting after it is refused (a programme cycle that
    takes no late submissions sets it; this domain knows nothing of cycles).
    """
    rubric_version = rubric_version_named(session=session, rubric_id=rubric_id, version=version)
    assert user.id is not None and rubric_version.id is not None
    row = Assessment(
        participant_id=user.id,
        rubric_version_id=rubric_version.id,
        title=(title or "").strip() or None,
        closes_at=closes_at,
    )
    session.add(row)
    session.flush()
    return repository.state_of(session, row)


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
        raise conflict(session, row, expected_version)
    problems = validate_responses(rubric_of(repository.rubric_version_of(session, row)), responses)
    if problems:
        raise invalid_answers(problems)
    if not responses:  # nothing to change: only confirm the client is current
        if row.version != expected_version:
            raise conflict(session, row, expected_version)
        return repository.state_of(session, row)
    claim(session, row, expected_version)
    assert row.id is not None
    repository.replace_answers(
        session,
        row.id,
        {  # validated above; the isinstance narrows the type
            item_id: value if isinstance(value, int | str) else None
            for item_id, value in responses.items()
        },
    )
    return repository.state_of(session, row)


def submit_assessment(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> AssessmentState:
    """Score a complete assessment, store the result with its method, and freeze it.

    422 listing every unanswered item when incomplete (n/a counts as an
    answer); 409 when stale or already submitted, or after the assessment's
    ``closes_at`` (``now``: the clock, for tests). The result is computed once,
    here, and never again.
    """
    row = _owned(session, user, assessment_id)
    if row.is_submitted:
        raise conflict(session, row, expected_version)
    refuse_when_closed(row, now=now or utcnow())
    claim(session, row, expected_version)
    state = repository.state_of(session, row)
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
    assert row.id is not None
    repository.store_levels(session, row.id, result)
    events.publish(
        session=session,
        name=events.ASSESSMENT_SUBMITTED,
        data={
            "assessment_id": row.id,
            "participant_id": row.participant_id,
            "rubric_id": state.rubric_version.rubric_id,
            "rubric_version": state.rubric_version.version,
            "submitted_at": now.isoformat(),
        },
    )
    return repository.state_of(session, row)


def delete_assessment(
    *, session: Session, user: User, assessment_id: int, expected_version: int | None = None
) -> None:
    """Discard an assessment in progress (owner only). Submitted ones are kept: 409.

    ``expected_version`` is optional: a discard is deliberate, but a client
    that sends it is protected against discarding answers it has not seen.
    """
    row = _owned(session, user, assessment_id)
    assert row.id is not None
    if not repository.delete_in_progress(session, row.id, expected_version):
        raise conflict(session, row, expected_version)
    session.expunge(row)  # the database cascaded its answers


def assessment_ids_of(*, session: Session, participant_id: int) -> list[int]:
    """Every assessment of one person, for erasure (the caller has authorized)."""
    return repository.ids_where(session, col(Assessment.participant_id) == participant_id)


def assessment_ids_untouched_since(*, session: Session, cutoff: datetime) -> list[int]:
    """Assessments last changed before ``cutoff``, for the retention job."""
    return repository.ids_where(session, col(Assessment.updated_at) < cutoff)


def delete_assessments(*, session: Session, assessment_ids: Collection[int]) -> int:
    """Delete assessments with everything that hangs off them (answers, levels, reviews,
    plans, feedback, cached reports, share links: the schema cascades). For erasure and
    retention; the caller has authorized and removed any report files first."""
    return repository.delete_many(session, assessment_ids)


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
        raise invalid_answers(problems)
    return score_document(rubric, responses)


def self_levels_statement() -> Select[Any]:
    """The self level per (assessment, behavior) as a statement other domains aggregate over."""
    return repository.self_levels()
