"""The accounts domain's queries about people and coach assignments.

The rest of ``app/accounts`` states rules and calls these; other domains read
people and coach assignments through them too (``users_by_ids``,
``participants_of``, ...), never through ``session.get(User, ...)`` or their own
``select(User)``. Functions only run statements (and flush what they change);
committing is the request's or the CLI's business. How people sign in and stay
signed in (tokens, sessions, one-time links, throttles, single sign-on) is
queried in :mod:`app.accounts.signin_repository`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from app.accounts.models import CoachAssignment, Role, User
from app.core.pagination import Cursor, Page, keyset_page

# -- people ---------------------------------------------------------------------


def user_by_id(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_email(*, session: Session, email: str) -> User | None:
    """``email`` already normalized (stored lower-case; compared lower-case too)."""
    return session.exec(select(User).where(func.lower(User.email) == email)).first()


def users_by_ids(*, session: Session, ids: Collection[int]) -> dict[int, User]:
    """The people with these ids in one query, by id (missing ids are absent).

    For pages that name many people (a coach's overview, a list of reviews):
    one statement whatever the number, instead of one ``get`` per person.
    """
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(sorted(wanted)))).all()
    return {user.id: user for user in users if user.id is not None}


USERS_SCOPE = "users"


def users_page(
    *, session: Session, after: Cursor | None, limit: int, email_prefix: str = ""
) -> Page[User]:
    """People by email (unique, indexed), one keyset page; ``email_prefix`` narrows it to an
    index range (``email >= p AND email < p + U+10FFFF``), never a scan with ``LIKE``."""
    statement = select(User)
    if email_prefix:
        statement = statement.where(
            col(User.email) >= email_prefix, col(User.email) < email_prefix + "\U0010ffff"
        )
    return keyset_page(
        session,
        statement,
        sort=col(User.email),
        id_column=col(User.id),
        after=after,
        limit=limit,
        scope=USERS_SCOPE,
    )


def assignments_of(*, session: Session, user_ids: Collection[int]) -> list[CoachAssignment]:
    """Every assignment in which one of ``user_ids`` is the coach or the participant."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    statement = select(CoachAssignment).where(
        or_(col(CoachAssignment.coach_id).in_(ids), col(CoachAssignment.participant_id).in_(ids))
    )
    return list(session.exec(statement))


def all_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.email))))


def count_users(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


# -- coach assignments ----------------------------------------------------------


#: ``session.info`` key: the assignments this unit of work has loaded, kept referenced.
_LOADED_ASSIGNMENTS = "stepwise_loaded_assignments"


def assignment(*, session: Session, coach_id: int, participant_id: int) -> CoachAssignment | None:
    """The assignment, from the session's identity map when this unit of work has read it.

    The identity map holds rows weakly: a caller that only asks "is there one?"
    drops the row at once, and the next authorization check of the same page
    read it again (three times on the coach's review page). Keeping the rows
    referenced for the unit of work's life lets ``session.get`` answer from the
    map; a row deleted in the session leaves the map, so the answer stays exact.
    """
    row = session.get(CoachAssignment, (coach_id, participant_id))
    if row is not None:
        session.info.setdefault(_LOADED_ASSIGNMENTS, {})[coach_id, participant_id] = row
    return row


def _assigned(session: Session, *, person: Any, where: ColumnElement[bool]) -> list[User]:
    """People on one side of the assignments matching ``where``, by name."""
    statement = (
        select(User)
        .join(CoachAssignment, person == User.id)
        .where(where)
        .order_by(col(User.display_name))
    )
    return list(session.exec(statement))


def coaches_of(*, session: Session, participant_id: int) -> list[User]:
    return _assigned(
        session,
        person=col(CoachAssignment.coach_id),
        where=col(CoachAssignment.participant_id) == participant_id,
    )


def coachees_scope(coach_id: int) -> str:
    return f"coachees:{coach_id}"


def participants_page(
    *, session: Session, coach_id: int, after: Cursor | None, limit: int
) -> Page[User]:
    """One page of a coach's participants by name (index ``users (display_name, id)``;
    each row is checked against the assignment's primary key ``(coach_id, participant_id)``)."""
    statement = (
        select(User)
        .join(CoachAssignment, col(CoachAssignment.participant_id) == User.id)
        .where(col(CoachAssignment.coach_id) == coach_id)
    )
    return keyset_page(
        session,
        statement,
        sort=col(User.display_name),
        id_column=col(User.id),
        after=after,
        limit=limit,
        scope=coachees_scope(coach_id),
    )


def participants_of(*, session: Session, coach_id: int) -> list[User]:
    return _assigned(
        session,
        person=col(CoachAssignment.participant_id),
        where=col(CoachAssignment.coach_id) == coach_id,
    )


ASSIGNMENTS_SCOPE = "assignments"


def assignments_page(
    *, session: Session, after: Cursor | None, limit: int
) -> Page[tuple[User, CoachAssignment]]:
    """One page of (coach, assignment) rows by coach email, then participant id.

    A coach's email is unique and a participant is assigned to a coach once,
    so ``(coach email, participant_id)`` orders the rows totally: the keyset
    walks ``users.email`` and the primary key ``(coach_id, participant_id)``.
    """
    statement: Any = select(User, CoachAssignment).join(
        CoachAssignment, col(CoachAssignment.coach_id) == User.id
    )
    return keyset_page(
        session,
        statement,
        sort=col(User.email),
        id_column=col(CoachAssignment.participant_id),
        after=after,
        limit=limit,
        key_of=lambda row: Cursor(key=row[0].email, id=row[1].participant_id),
        scope=ASSIGNMENTS_SCOPE,
        scalars=False,
    )


def active_with_role(*, session: Session, role: Role, limit: int) -> list[User]:
    """Up to ``limit`` active people holding ``role``, by email (the assign form's choices)."""
    statement = (
        select(User)
        .where(col(User.is_active), col(User.roles).contains(role.value))
        .order_by(col(User.email))
        .limit(limit)
    )
    return [u for u in session.exec(statement) if u.has_role(role)]
