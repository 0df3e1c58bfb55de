"""The JSON shapes of reviews and plan actions, as plain data.

One definition of what the API returns for a review or a plan action: the
API schemas (:mod:`app.coaching.schemas`) validate these dicts, and the
services put the same dicts in a conflict's ``current``
(:class:`app.core.versioning.VersionConflict`) without importing the API
layer. :func:`review_document` adds ``private_notes`` only when asked for
the coach's shape and the state holds them (coach audience).
"""

from __future__ import annotations

from typing import Any

from app.coaching.calibration import PathStep
from app.coaching.state import BehaviorRow, LevelChoice, Person, PlanEntry, ReviewState


def person_document(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.id, "display_name": person.display_name}


def level_document(choice: LevelChoice) -> dict[str, Any]:
    return {"order": choice.order, "id": choice.level_id, "name": choice.name}


def path_step_document(step: PathStep) -> dict[str, Any]:
    return {
        "level": step.level_id,
        "order": step.order,
        "name": step.name,
        "descriptor": step.descriptor,
        "actions": list(step.actions),
        "is_current": step.is_current,
    }


def behavior_document(row: BehaviorRow) -> dict[str, Any]:
    return {
        "behavior_id": row.behavior.id,
        "behavior_name": row.behavior.name,
        "competency_id": row.competency.id,
        "competency_name": row.competency.name,
        "self_level": row.result.level,
        "self_level_name": row.result.level_name,
        "self_score": row.result.score,
        "consistent": row.result.consistent,
        "coach_level": row.coach_level,
        "coach_level_name": None if row.coach_level is None else row.label(row.coach_level),
        "target_level": row.target_level,
        "target_level_name": None if row.target_level is None else row.label(row.target_level),
        "rationale": row.rationale,
        "evidence": row.evidence,
        "flag": row.flag.value if row.flag else None,
        "levels": [level_document(c) for c in row.choices],
        "development_path": [path_step_document(s) for s in row.path],
    }


def plan_entry_document(entry: PlanEntry) -> dict[str, Any]:
    action = entry.action
    return {
        "id": entry.id,
        "participant_id": action.participant_id,
        "review_id": action.review_id,
        "assessment_id": action.assessment_id,
        "behavior_id": action.behavior_id,
        "behavior_name": entry.behavior_name,
        "title": action.title,
        "success_measure": action.success_measure,
        "due_date": action.due_date,
        "status": action.status,
        "from_suggestion": action.from_suggestion,
        "version": action.version,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
        "history": [
            {
                "at": event.at,
                "actor": person_document(event.actor),
                "field": event.field,
                "old_value": event.old_value,
                "new_value": event.new_value,
            }
            for event in entry.events
        ],
    }


def review_document(state: ReviewState, *, coach_shape: bool) -> dict[str, Any]:
    """``SharedReviewOut``'s fields; with ``coach_shape``, ``CoachReviewOut``'s."""
    review = state.review
    document: dict[str, Any] = {
        "id": state.id,
        "assessment_id": review.assessment_id,
        "participant": person_document(state.participant),
        "coach": person_document(state.coach),
        "status": review.status,
        "version": review.version,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
        "finalized_at": review.finalized_at,
        "rubric": {
            "id": state.rubric_version.rubric_id,
            "version": state.rubric_version.version,
            "title": state.rubric_version.title,
        },
        "shared_notes": review.shared_notes,
        "flags": state.flag_counts,
        "behaviors": [behavior_document(row) for row in state.rows],
        "plan": [plan_entry_document(entry) for entry in state.plan],
    }
    if coach_shape:
        document["private_notes"] = state.private_notes or ""
    return document
