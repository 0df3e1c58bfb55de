"""Cohorts and their members: what admins do, checked and versioned.

Every function takes the ``actor`` and asks :mod:`app.accounts.policy`
first (404 for anyone but an admin, as the rest of the admin API). A
member's coach is assigned through the accounts domain
(:func:`app.accounts.service.assign_coach`), so the one access policy lets
that coach see the member's assessments; when a member leaves or changes
coach, the old coach's assignment ends unless another cohort still pairs
them (an assignment made by hand for the same pair ends too: the cohort is
then the record of who coaches whom).
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from app.accounts import policy
from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.pagination import Cursor, Page
from app.core.text_fields import checked_description, checked_text
from app.core.timeutils import utcnow
from app.core.versioning import PlainVersioned
from app.programmes import repository
from app.programmes.models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, Cohort, CohortMember

logger = logging.getLogger("stepwise.programmes")

#: Most members one cohort holds (docs/programmes.md): a cycle opens them in one job.
MAX_MEMBERS = 5000
#: Most cohorts one installation holds.
MAX_COHORTS = 1000


def checked_name(name: str, *, loc: list[str | int]) -> str:
    """A name trimmed to one line, 1..MAX_NAME_LENGTH characters (located 422)."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(
            N_("Give a name"), errors=[field_error(loc, N_("must not be empty"), "missing")]
        )
    return checked_text(
        cleaned, loc=loc, max_length=MAX_NAME_LENGTH, refusal=N_("The name is too long")
    )


# -- cohorts ------------------------------------------------------------------


def list_cohorts(
    *, session: Session, actor: User, after: Cursor | None, limit: int
) -> Page[Cohort]:
    policy.ensure_admin(user=actor)
    return repository.list_cohorts(session, after=after, limit=limit)


def get_cohort(*, session: Session, actor: User, cohort_id: int) -> Cohort:
    policy.ensure_admin(user=actor)
    return load_cohort(session=session, cohort_id=cohort_id)


def load_cohort(*, session: Session, cohort_id: int) -> Cohort:
    """The cohort, or 404 (for callers that checked access themselves)."""
    cohort = repository.get_cohort(session, cohort_id)
    if cohort is None:
        raise NotFound("Cohort not found")
    return cohort


def create_cohort(*, session: Session, actor: User, name: str, description: str = "") -> Cohort:
    policy.ensure_admin(user=actor)
    cohort = Cohort(
        name=checked_name(name, loc=["body", "name"]),
        description=checked_description(description, max_length=MAX_DESCRIPTION_LENGTH),
    )
    if repository.count_cohorts(session) >= MAX_COHORTS:
        raise Conflict(f"At most {MAX_COHORTS} cohorts: delete one first")
    session.add(cohort)
    session.flush()
    logger.info("cohort %s created by user %s", cohort.id, actor.id)
    return cohort


def cohort_json(cohort: Cohort) -> dict[str, object]:
    """The cohort as the API shows it (the ``current`` of a conflict)."""
    return {
        "id": cohort.id,
        "name": cohort.name,
        "description": cohort.description,
        "version": cohort.version,
        "created_at": cohort.created_at.isoformat(),
        "updated_at": cohort.updated_at.isoformat(),
    }


COHORT = PlainVersioned(Cohort, what="cohort", missing="Cohort not found", shown=cohort_json)


def update_cohort(
    *,
    session: Session,
    actor: User,
    cohort_id: int,
    expected_version: int,
    name: str | None = None,
    description: str | None = None,
) -> Cohort:
    """Rename or re-describe a cohort, based on ``expected_version`` (409 when stale)."""
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    changes: dict[str, str] = {}
    if name is not None:
        changes["name"] = checked_name(name, loc=["body", "name"])
    if description is not None:
        changes["description"] = checked_description(description, max_length=MAX_DESCRIPTION_LENGTH)
    COHORT.claim(session, cohort, expected_version)
    for field, value in changes.items():
        setattr(cohort, field, value)
    session.add(cohort)
    session.flush()
    return cohort


class CohortInUse(Conflict):
    """409: the cohort ran cycles, whose results would lose their group (see delete_cohort)."""


def delete_cohort(
    *, session: Session, actor: User, cohort_id: int, expected_version: int | None = None
) -> None:
    """The cohort, its members and its draft cycles; refused (409) once a cycle has run.

    A cycle that was opened made assessments and progress that the cohort's
    insights, exports and "change since last cycle" are read through, so a
    cohort with such a cycle is kept: deleting it would quietly take that
    history with it. Only cohorts whose cycles are all drafts (nothing was
    sent, nobody assessed) go, with their members; the people, their
    assessments and their coach assignments stay. ``expected_version`` (the
    page's confirm form) makes the delete answer 409 if the cohort changed
    since the admin looked at it.
    """
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    if expected_version is not None and expected_version != cohort.version:
        raise COHORT.conflict(session, cohort_id, expected_version)
    run = repository.count_run_cycles(session, cohort_id=cohort_id)
    if run:
        raise CohortInUse(
            f"This cohort has {run} cycle(s) that were opened; it is kept so that their "
            "results, insights and exports stay readable"
        )
    repository.delete_cohort(session, cohort)
    logger.info("cohort %s deleted by user %s", cohort_id, actor.id)


# -- members ------------------------------------------------------------------


def list_members(
    *, session: Session, actor: User, cohort_id: int, after: Cursor | None, limit: int
) -> Page[CohortMember]:
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    assert cohort.id is not None
    return repository.list_members(session, cohort_id=cohort.id, after=after, limit=limit)


def _person(session: Session, user_id: int, *, loc: list[str | int], what: str) -> User:
    try:
        return accounts.get_user(session=session, user_id=user_id)
    except NotFound:
        raise InvalidInput(
            f"No such {what}", errors=[field_error(loc, f"no {what} has this id")]
        ) from None


def checked_coach(session: Session, coach_id: int | None, *, loc: list[str | int]) -> User | None:
    """The coach ``coach_id`` names (a located 422 when it is nobody, or not a coach)."""
    if coach_id is None:
        return None
    coach = _person(session, coach_id, loc=loc, what="coach")
    if not coach.has_role(Role.coach) or not coach.is_active:
        raise InvalidInput(
            N_("Not a coach"), errors=[field_error(loc, N_("this person is not a coach"))]
        )
    return coach


def _end_assignment_if_unused(session: Session, *, coach_id: int, user: User) -> None:
    assert user.id is not None
    if repository.is_coach_of_member_elsewhere(session, coach_id=coach_id, user_id=user.id):
        return
    coach = accounts.get_user(session=session, user_id=coach_id)
    accounts.unassign_coach(session=session, coach=coach, participant=user)


def place_member(
    *, session: Session, cohort: Cohort, user: User, coach: User | None
) -> CohortMember:
    """Add ``user`` to ``cohort`` with ``coach`` (or change their coach): no access check.

    The one way a membership is written, for the admin functions and the CSV
    import (which checked the actor already). The coach assignment goes
    through the accounts domain.
    """
    assert cohort.id is not None and user.id is not None
    if not user.has_role(Role.participant):
        raise InvalidInput(
            N_("Only participants can be members"),
            errors=[field_error(["body", "user_id"], N_("this person is not a participant"))],
        )
    member = repository.get_member(session, cohort_id=cohort.id, user_id=user.id)
    if member is None:
        if repository.count_members(session, cohort_id=cohort.id) >= MAX_MEMBERS:
            raise Conflict(f"A cohort holds at most {MAX_MEMBERS} members")
        member = CohortMember(cohort_id=cohort.id, user_id=user.id, added_at=utcnow())
    old_coach_id = member.coach_id
    member.coach_id = coach.id if coach is not None else None
    session.add(member)
    session.flush()
    if coach is not None:
        accounts.assign_coach(session=session, coach=coach, participant=user)
    if old_coach_id is not None and old_coach_id != member.coach_id:
        _end_assignment_if_unused(session, coach_id=old_coach_id, user=user)
    return member


def add_member(
    *, session: Session, actor: User, cohort_id: int, user_id: int, coach_id: int | None
) -> CohortMember:
    """Add a participant (or change the coach of a member): idempotent for the same pair."""
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    user = _person(session, user_id, loc=["body", "user_id"], what="person")
    coach = checked_coach(session, coach_id, loc=["body", "coach_id"])
    return place_member(session=session, cohort=cohort, user=user, coach=coach)


def get_member(*, session: Session, actor: User, cohort_id: int, user_id: int) -> CohortMember:
    get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    member = repository.get_member(session, cohort_id=cohort_id, user_id=user_id)
    if member is None:
        raise NotFound("Member not found")
    return member


def remove_member(*, session: Session, actor: User, cohort_id: int, user_id: int) -> None:
    """Take a member out of the cohort; their assessments stay theirs."""
    member = get_member(session=session, actor=actor, cohort_id=cohort_id, user_id=user_id)
    coach_id = member.coach_id
    repository.delete_member(session, member)
    if coach_id is not None:
        user = accounts.get_user(session=session, user_id=user_id)
        _end_assignment_if_unused(session, coach_id=coach_id, user=user)


def people_of(*, session: Session, members: list[CohortMember]) -> dict[int, User]:
    """The members and their coaches as users, in one query (for lists)."""
    ids = {m.user_id for m in members} | {m.coach_id for m in members if m.coach_id is not None}
    return accounts.users_by_ids(session=session, ids=ids)


def add_member_by_email(
    *, session: Session, actor: User, cohort_id: int, email: str, coach_email: str
) -> CohortMember:
    """The admin page's form: the person and the coach named by their emails (422 located
    on ``email`` / ``coach_email`` when they name nobody suitable)."""
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    person = accounts.get_user_by_email(session=session, email=email)
    if person is None:
        raise InvalidInput(
            N_("No such person"),
            errors=[field_error(["body", "email"], N_("nobody has this email"))],
        )
    coach = None
    if coach_email.strip():
        found = accounts.get_user_by_email(session=session, email=coach_email)
        coach = (
            checked_coach(session, found.id if found else None, loc=["body", "coach_email"])
            if found
            else None
        )
        if coach is None:
            raise InvalidInput(
                N_("Not a coach"),
                errors=[field_error(["body", "coach_email"], N_("is not the email of a coach"))],
            )
    return place_member(session=session, cohort=cohort, user=person, coach=coach)
