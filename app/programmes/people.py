"""One person's place in programmes, for their data export and their erasure.

The caller (``app.privacy``) has authorized: the person themself asks for their
export, an admin erases them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.programmes import repository


def programme_data_of(*, session: Session, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's cohort memberships and cycle participations as plain data."""
    memberships = [
        {
            "cohort_id": cohort.id,
            "cohort_name": cohort.name,
            "coach_id": member.coach_id,
            "added_at": member.added_at,
        }
        for member, cohort in repository.memberships_of_user(session, user_id=user_id)
    ]
    participations = [
        {
            "cycle_id": p.cycle_id,
            "assessment_id": p.assessment_id,
            "invited_at": p.invited_at,
            "reminded_at": p.reminded_at,
        }
        for p in repository.participations_of_user(session, user_id=user_id)
    ]
    return {"cohort_memberships": memberships, "cycle_participations": participations}


def remove_person(*, session: Session, user_id: int) -> None:
    """Take the person out of every cohort and cycle (their assessments go separately)."""
    repository.delete_person_rows(session, user_id=user_id)
