"""Picking a role profile for an assessment, and limiting its questionnaire to that role.

The participant or their assigned coach (or an admin acting as one) picks
the role; it is a versioned write like every other change of an assessment
(409 with the current state when stale). The role may change after
submission, since it only frames how the stored result is read against a
profile, but ``role_only`` may not: the result was scored on what was asked.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.assessments import repository
from app.assessments.refusals import WHAT, conflict
from app.assessments.service import _load
from app.assessments.state import AssessmentState
from app.core.exceptions import Conflict, InvalidInput, field_error
from app.core.versioning import claim_version


def choose_role(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    expected_version: int,
    role_id: str | None,
    role_only: bool = False,
) -> AssessmentState:
    """Set (or clear, with ``None``) the assessment's role; returns the new state (version + 1).

    ``role_only`` limits the questionnaire to the role's competencies; answers
    already given to other competencies are kept (they count again if the
    limit is lifted) but are neither asked nor scored while it holds.
    """
    row = _load(session, assessment_id)
    if user.id != row.participant_id:
        policy.ensure_coach_of(
            session=session, user=user, participant_id=row.participant_id, what=WHAT
        )
    pinned = repository.pinned_rubric_of(session, row)
    if role_id is not None and role_id not in pinned.roles_by_id:
        raise InvalidInput(
            "The assessment's rubric has no such role",
            errors=[field_error(["body", "role_id"], "no role with this id in the pinned rubric")],
        )
    if role_only and role_id is None:
        raise InvalidInput(
            "Limiting the questionnaire needs a role",
            errors=[field_error(["body", "role_only"], "pick a role_id to limit to")],
        )
    if row.is_submitted and role_only != row.role_only:
        raise Conflict(
            "The assessment was scored on the questions it asked; its limit cannot change now",
            errors=[field_error(["body", "role_only"], "fixed once submitted", "submitted")],
        )
    claim_version(
        session,
        row,
        expected=expected_version,
        conflict=lambda: conflict(session, row, expected_version),
    )
    row.role_id = role_id
    row.role_only = role_only
    session.add(row)
    session.flush()
    return repository.state_of(session, row)
