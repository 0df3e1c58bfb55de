"""What an admin may do: manage people, invitations and coach assignments.

Every function takes the ``actor`` and checks it through
:func:`app.accounts.policy.ensure_admin` first, so a non-admin gets the same
404 from the API and the pages. The CLI is the server's operator and calls the
underlying :mod:`app.accounts.service` and :mod:`app.accounts.invitations`
functions directly.

Services validate everything before writing, so a page that catches
``InvalidInput``/``Conflict`` to re-render its form never commits half a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from app.accounts import invitations, policy, repository, service
from app.accounts.invitations import IssuedInvitation
from app.accounts.models import CoachAssignment, Role, User
from app.audit.actions import Action, Target
from app.audit.service import record_event
from app.core.exceptions import InvalidInput, NotFound, field_error, invalid_field
from app.core.i18n import N_
from app.core.pagination import Cursor, Page


@dataclass(frozen=True)
class UserDetail:
    """A person with their coach assignments, as admins see them."""

    user: User
    coaches: list[User] = field(default_factory=list)
    participants: list[User] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """Invited but has not set a password yet."""
        return self.user.password_hash is None


@dataclass(frozen=True)
class AssignmentOverview:
    coaches: list[User]
    participants: list[User]
    #: One page of (coach, participant) pairs, by coach email then participant id.
    pairs: list[tuple[User, User]]
    #: The cursor of the next page of pairs (None on the last).
    next_cursor: str | None = None


def list_users(
    *, session: Session, actor: User, after: Cursor | None, limit: int, email_prefix: str = ""
) -> Page[UserDetail]:
    """One page of people by email, each with their coaches and coachees.

    Three statements whatever the page or the installation's size: the page,
    the assignments touching its people, and the people on the other side.
    """
    policy.ensure_admin(user=actor)
    page = repository.users_page(
        session=session, after=after, limit=limit, email_prefix=email_prefix.strip().lower()
    )
    ids = [u.id for u in page.items if u.id is not None]
    assignments = repository.assignments_of(session=session, user_ids=ids)
    others = {a.coach_id for a in assignments} | {a.participant_id for a in assignments}
    by_id = repository.users_by_ids(session=session, ids=others - set(ids))
    by_id.update({u.id: u for u in page.items if u.id is not None})
    coaches: dict[int, list[User]] = {}
    participants: dict[int, list[User]] = {}
    for a in assignments:
        coaches.setdefault(a.participant_id, []).append(by_id[a.coach_id])
        participants.setdefault(a.coach_id, []).append(by_id[a.participant_id])
    details = [
        UserDetail(
            user=u,
            coaches=sorted(coaches.get(u.id or 0, []), key=lambda x: x.email),
            participants=sorted(participants.get(u.id or 0, []), key=lambda x: x.email),
        )
        for u in page.items
    ]
    return Page(items=details, next_cursor=page.next_cursor)


def get_user_detail(*, session: Session, actor: User, user_id: int) -> UserDetail:
    policy.ensure_admin(user=actor)
    user = service.get_user(session=session, user_id=user_id)
    return UserDetail(
        user=user,
        coaches=service.coaches_of(session=session, participant_id=user_id),
        participants=service.participants_of(session=session, coach_id=user_id),
    )


def add_user(
    *,
    session: Session,
    actor: User,
    email: str,
    roles: frozenset[Role],
    display_name: str | None,
    password: str | None,
    password_min_length: int,
    invitation_ttl: timedelta,
) -> tuple[User, IssuedInvitation | None]:
    """Create a person with a password, or (without one) invite them (admins only)."""
    policy.ensure_admin(user=actor)
    return invitations.add_person(
        session=session,
        email=email,
        roles=roles,
        display_name=display_name,
        password=password,
        password_min_length=password_min_length,
        invitation_ttl=invitation_ttl,
        invited_by=actor,
    )


def invite(
    *,
    session: Session,
    actor: User,
    email: str,
    roles: frozenset[Role],
    display_name: str | None,
    ttl: timedelta,
) -> IssuedInvitation:
    policy.ensure_admin(user=actor)
    return invitations.invite_user(
        session=session,
        email=email,
        roles=roles,
        display_name=display_name,
        ttl=ttl,
        invited_by=actor,
    )


def change_user(
    *,
    session: Session,
    actor: User,
    user_id: int,
    roles: frozenset[Role] | None,
    is_active: bool | None,
    display_name: str | None,
) -> UserDetail:
    """Edit a person. Admins cannot demote or deactivate themselves (no lock-out)."""
    policy.ensure_admin(user=actor)
    user = service.get_user(session=session, user_id=user_id)
    if user.id == actor.id:
        if roles is not None and Role.admin not in roles:
            raise invalid_field("roles", "You cannot remove your own admin role")
        if is_active is False:
            raise invalid_field("is_active", "You cannot deactivate yourself")
    roles_before = user.role_set
    service.update_user(
        session=session, user=user, roles=roles, is_active=is_active, display_name=display_name
    )
    if roles is not None and user.role_set != roles_before:
        record_event(
            session=session,
            actor_id=actor.id,
            action=Action.roles_changed,
            subject_user_id=user.id,
            target_type=Target.user,
            target_id=user.id,
        )
    return get_user_detail(session=session, actor=actor, user_id=user_id)


def _pair(*, session: Session, coach_id: int, participant_id: int, loc: str) -> tuple[User, User]:
    """The coach and participant named in a request, as located 422s when wrong."""
    people = repository.users_by_ids(session=session, ids=(coach_id, participant_id))
    coach, participant = people.get(coach_id), people.get(participant_id)
    errors = []
    if coach is None or not coach.has_role(Role.coach):
        errors.append(field_error([loc, "coach_id"], N_("Not a coach")))
    if participant is None or not participant.has_role(Role.participant):
        errors.append(field_error([loc, "participant_id"], N_("Not a participant")))
    if errors or coach is None or participant is None:
        raise InvalidInput(N_("Choose a coach and a participant"), errors=errors)
    return coach, participant


def assign(
    *, session: Session, actor: User, coach_id: int, participant_id: int, loc: str = "body"
) -> CoachAssignment:
    policy.ensure_admin(user=actor)
    coach, participant = _pair(
        session=session, coach_id=coach_id, participant_id=participant_id, loc=loc
    )
    return service.assign_coach(session=session, coach=coach, participant=participant)


def unassign(
    *, session: Session, actor: User, coach_id: int, participant_id: int, loc: str = "query"
) -> None:
    policy.ensure_admin(user=actor)
    coach, participant = _pair(
        session=session, coach_id=coach_id, participant_id=participant_id, loc=loc
    )
    if not service.unassign_coach(session=session, coach=coach, participant=participant):
        raise NotFound("Assignment not found")


#: The most coaches, and participants, the assign form offers (by email); documented in docs/api.md.
MAX_CHOICES = 200


def assignment_overview(
    *, session: Session, actor: User, after: Cursor | None, limit: int
) -> AssignmentOverview:
    """The assign form's choices and one page of the current assignments.

    Four statements whatever the installation's size: the coaches and the
    participants to choose from (each at most ``MAX_CHOICES``), the page of
    (coach, assignment) rows, and the participants it names.
    """
    policy.ensure_admin(user=actor)
    page = repository.assignments_page(session=session, after=after, limit=limit)
    ids = {a.participant_id for _, a in page.items}
    by_id = repository.users_by_ids(session=session, ids=ids)
    return AssignmentOverview(
        coaches=repository.active_with_role(session=session, role=Role.coach, limit=MAX_CHOICES),
        participants=repository.active_with_role(
            session=session, role=Role.participant, limit=MAX_CHOICES
        ),
        pairs=[(coach, by_id[a.participant_id]) for coach, a in page.items],
        next_cursor=page.next_cursor,
    )
