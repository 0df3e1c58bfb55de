"""Why a write to an assessment is refused: bad answers, a lost claim, a closed cycle.

Every write first *claims* the assessment (:func:`claim`, through
:func:`app.core.versioning.claim_version`); the loser of two writers based on
the same version, or a write to a submitted assessment, gets :func:`conflict`
(409 with the current state). Answers the pinned rubric does not take are
one 422 (:func:`invalid_answers`); a submission after the deadline of a cycle
that takes no late ones is a 409 (:func:`refuse_when_closed`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlmodel import Session, col

from app.assessments import repository
from app.assessments.models import Assessment, Status
from app.assessments.state import assessment_document
from app.core.exceptions import Conflict, InvalidInput, field_error
from app.core.versioning import claim_version, conflict_of
from app.scoring import ResponseProblem

WHAT = "Assessment"


def invalid_answers(problems: list[ResponseProblem]) -> InvalidInput:
    """One 422 locating every bad answer at ``body.responses.<item>``."""
    return InvalidInput(
        f"{len(problems)} answer(s) cannot be accepted",
        errors=[field_error(["body", "responses", p.item_id], p.message) for p in problems],
    )


def conflict(session: Session, row: Assessment, expected: int | None) -> Exception:
    """Why a claim failed, with the current state (or 404 if it was deleted meanwhile)."""
    assert row.id is not None
    # ``current`` is the AssessmentOut shape; ``state`` the plain state, for pages.
    return conflict_of(
        repository.get_row(session, row.id, fresh=True),
        what="assessment",
        expected=expected,
        retry="Merge your unsaved answers",
        missing=f"{WHAT} not found",
        state=partial(repository.state_of, session),
        shown=assessment_document,
        closed=lambda current: (
            "Submitted assessments are immutable" if current.is_submitted else None
        ),
    )


def claim(session: Session, row: Assessment, expected: int) -> None:
    """Atomically bump the version if it is still ``expected`` and the assessment in progress."""
    in_progress = col(Assessment.status) == Status.in_progress.value
    lost = partial(conflict, session, row, expected)
    claim_version(session, row, expected=expected, conditions=(in_progress,), conflict=lost)


def refuse_when_closed(row: Assessment, *, now: datetime) -> None:
    """409 once the deadline of an assessment that takes no late submissions has passed.

    The answers stay saved (nothing is lost); only the submission is refused.
    """
    if row.closes_at is None or now <= row.closes_at:
        return
    closed = row.closes_at.strftime("%Y-%m-%d %H:%M UTC")
    raise Conflict(
        f"This assessment closed on {closed} and its cycle accepts no late submissions; "
        "your answers are saved: ask your programme's admin to reopen it",
        errors=[field_error(["assessment", "closes_at"], "the cycle is closed", "closed")],
        closes_at=row.closes_at.isoformat(),
    )
