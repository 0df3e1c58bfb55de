"""Authorization rules, in one place.

Personal data (assessments, reviews, reports) belongs to a participant. It is
visible to that participant, to coaches assigned to them, and to admins. Every
other caller gets :class:`~app.core.exceptions.NotFound`, the same answer as
for an id that does not exist, so ids cannot be enumerated.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import repository
from app.accounts.models import Role, User
from app.core.exceptions import NotFound


def is_assigned_coach(*, session: Session, user: User, participant_id: int) -> bool:
    if not user.has_role(Role.coach) or user.id is None:
        return False
    assignment = repository.assignment(
        session=session, coach_id=user.id, participant_id=participant_id
    )
    return assignment is not None


def can_view_participant(*, session: Session, user: User, participant_id: int) -> bool:
    """Owner, assigned coach or admin."""
    return (
        user.id == participant_id
        or user.has_role(Role.admin)
        or is_assigned_coach(session=session, user=user, participant_id=participant_id)
    )


def ensure_can_view(*, session: Session, user: User, participant_id: int, what: str) -> None:
    if not can_view_participant(session=session, user=user, participant_id=participant_id):
        raise NotFound(f"{what} not found")


def ensure_owner(*, user: User, participant_id: int, what: str) -> None:
    """Only the participant themself may change their answers."""
    if user.id != participant_id:
        raise NotFound(f"{what} not found")


def ensure_coach_of(*, session: Session, user: User, participant_id: int, what: str) -> None:
    """Coaching actions: the assigned coach (or an admin acting as one)."""
    if not (
        user.has_role(Role.admin)
        or is_assigned_coach(session=session, user=user, participant_id=participant_id)
    ):
        raise NotFound(f"{what} not found")


def ensure_admin(*, user: User) -> None:
    if not user.has_role(Role.admin):
        raise NotFound("Not found")
