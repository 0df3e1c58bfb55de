"""Moving an in-progress assessment to the current version of its rubric.

The plan (what is kept, what must be answered anew) is the pure
:func:`app.assessments.upgrade.plan_upgrade`; this module reads what it
needs, authorizes, and applies it:

* Only the participant moves their assessment (anyone else: 404, like every
  write); they, their assigned coaches and admins may preview it.
* A submitted assessment stays pinned to the version it was scored against:
  moving it is a 409 (``errors`` at ``assessment.status``).
* Only the rubric's *current* version is a target (an older or unknown one is
  a 422 at ``body.to_version``); moving to the version already pinned is a 409.
* The move is a versioned write: the row is claimed at ``expected_version``
  (stale: 409 with ``current``) *before* the answers are read for the plan,
  so the plan and the deletion of the dropped answers see the same rows, and
  an autosave from another tab either lands before (and is planned with) or
  fails as stale after.

Functions only flush; the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import repository
from app.assessments.refusals import claim
from app.assessments.service import _owned, _viewable
from app.assessments.state import AssessmentState, RubricRef, assessment_document
from app.assessments.upgrade import UpgradePlan, plan_upgrade
from app.core.exceptions import Conflict, InvalidInput, field_error
from app.rubrics.models import RubricVersion
from app.rubrics.service import get_rubric_version, get_rubric_version_by_pk, rubric_of

PINNED = (
    "Submitted assessments stay pinned to the rubric version they were scored against; "
    "start a new assessment to use the newer version"
)


@dataclass(frozen=True)
class UpgradePreview:
    """Whether an assessment can move to a newer rubric version, and what the move would do."""

    state: AssessmentState
    #: The rubric's current version (the same as the pinned one when already latest).
    current: RubricRef
    #: The plan of the move; None when already latest or submitted.
    plan: UpgradePlan | None

    @property
    def status(self) -> str:
        """``available``, ``latest`` (nothing newer) or ``pinned`` (submitted)."""
        if self.state.assessment.is_submitted:
            return "pinned"
        return "latest" if self.plan is None else "available"

    def document(self) -> dict[str, Any]:
        """The API's shape (``UpgradePreviewOut``)."""
        return {
            "assessment_id": self.state.id,
            "status": self.status,
            "pinned_version": self.state.rubric_version.version,
            "current_version": self.current.version,
            "version": self.state.version,
            "plan": self.plan.document() if self.plan is not None else None,
        }


@dataclass(frozen=True)
class UpgradeOutcome:
    """A done move: the plan as applied, and the assessment as it is now."""

    plan: UpgradePlan
    state: AssessmentState

    def document(self) -> dict[str, Any]:
        return {"plan": self.plan.document(), "assessment": assessment_document(self.state)}


def _current_of(session: Session, state: AssessmentState) -> RubricVersion:
    return get_rubric_version(session=session, rubric_id=state.rubric_version.rubric_id)


def _preview(session: Session, state: AssessmentState) -> UpgradePreview:
    current = _current_of(session, state)
    plan = None
    if not state.assessment.is_submitted and current.id != state.rubric_version.id:
        plan = plan_upgrade(state.rubric, rubric_of(current), state.responses)
    return UpgradePreview(state=state, current=RubricRef.of(current), plan=plan)


def preview_upgrade(*, session: Session, user: User, assessment_id: int) -> UpgradePreview:
    """What moving to the current version would keep and ask anew (owner, coach, admin)."""
    state = repository.state_of(session, _viewable(session, user, assessment_id))
    return _preview(session, state)


def own_upgrade_offer(*, session: Session, state: AssessmentState) -> UpgradePreview:
    """The preview for a state the caller already read as its owner (the questionnaire)."""
    return _preview(session, state)


def changes_since_upgrade(*, session: Session, state: AssessmentState) -> UpgradePlan | None:
    """What the last move made new or changed (None: never moved), for the questionnaire.

    Recomputed from the version moved from, which is stored; answers since
    the move do not matter here (the page shows which of these are answered).
    """
    if state.assessment.upgraded_from_id is None:
        return None
    before = get_rubric_version_by_pk(session=session, pk=state.assessment.upgraded_from_id)
    return plan_upgrade(rubric_of(before), state.rubric, {})


def _target(session: Session, state: AssessmentState, to_version: str | None) -> RubricVersion:
    current = _current_of(session, state)
    if to_version is not None and to_version != current.version:
        raise InvalidInput(
            f"An assessment can only move to its rubric's current version ({current.version})",
            errors=[field_error(["body", "to_version"], "not the rubric's current version")],
        )
    if current.id == state.rubric_version.id:
        raise Conflict(
            f"This assessment already uses the current version ({current.version})",
            errors=[field_error(["body", "to_version"], "already the pinned version", "latest")],
        )
    return current


def upgrade_assessment(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    expected_version: int,
    to_version: str | None = None,
) -> UpgradeOutcome:
    """Move the owner's in-progress assessment to the current rubric version, at
    ``expected_version``: kept answers stay, the others are deleted. Version + 1."""
    row = _owned(session, user, assessment_id)
    if row.is_submitted:
        raise Conflict(
            PINNED,
            errors=[field_error(["assessment", "status"], "submitted", "pinned")],
            status=row.status,
        )
    target = _target(session, repository.state_of(session, row), to_version)
    claim(session, row, expected_version)
    state = repository.state_of(session, row)  # read after the claim: the rows are ours now
    plan = plan_upgrade(state.rubric, rubric_of(target), state.responses)
    assert target.id is not None
    repository.move_to_version(session, row, target.id, keep=plan.kept)
    return UpgradeOutcome(plan=plan, state=repository.state_of(session, row))
