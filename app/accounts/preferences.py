"""Which optional notifications each person receives.

Three kinds of mail are optional, each for the role it concerns: a
participant may turn off ``review_finalized`` and ``plan_reminder``, a coach
``assessment_submitted``. Invitations and password resets are not optional
(they are the only way in) and have no preference.

Everything is on until turned off, so only the choices a person made are
stored: a row per (user, kind), ``enabled`` true or false. Every notifying
domain asks :func:`wants_notification` before ``queue_mail``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sqlalchemy import Boolean, Column, String
from sqlmodel import Field, Session, SQLModel, col, select

from app.accounts.models import Role, User, user_id_column
from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_

PAGE_PATH = "/account/notifications"


class NotificationKind(StrEnum):
    review_finalized = "review_finalized"
    plan_reminder = "plan_reminder"
    assessment_submitted = "assessment_submitted"


#: Who receives each kind: the preference is offered to people with that role.
KIND_ROLE: dict[NotificationKind, Role] = {
    NotificationKind.review_finalized: Role.participant,
    NotificationKind.plan_reminder: Role.participant,
    NotificationKind.assessment_submitted: Role.coach,
}

#: What each choice means, in the words the page and the API docs use.
KIND_LABELS: dict[NotificationKind, str] = {
    NotificationKind.review_finalized: N_("When my coach finalizes a review of my assessment"),
    NotificationKind.plan_reminder: N_(
        "Reminders before a plan action is due, and when it is overdue"
    ),
    NotificationKind.assessment_submitted: N_("When a participant I coach submits an assessment"),
}


class NotificationPreference(SQLModel, table=True):
    """A choice one person made about one kind (absent: the kind is on)."""

    __tablename__ = "notification_preferences"

    user_id: int = user_id_column(primary_key=True)
    kind: str = Field(sa_column=Column(String(32), primary_key=True))
    enabled: bool = Field(sa_column=Column(Boolean, nullable=False))


def kinds_for(user: User) -> list[NotificationKind]:
    """The optional kinds this person can receive, given their roles (page order)."""
    return [kind for kind in NotificationKind if user.has_role(KIND_ROLE[kind])]


def _stored(session: Session, user_id: int) -> dict[str, bool]:
    rows = session.exec(
        select(NotificationPreference).where(col(NotificationPreference.user_id) == user_id)
    ).all()
    return {row.kind: row.enabled for row in rows}


def preferences_of(*, session: Session, user: User) -> dict[NotificationKind, bool]:
    """Each kind relevant to ``user`` and whether it is on."""
    assert user.id is not None
    stored = _stored(session, user.id)
    return {kind: stored.get(kind.value, True) for kind in kinds_for(user)}


def update_preferences(
    *,
    session: Session,
    user: User,
    changes: Mapping[str, bool],
    loc_prefix: tuple[str, ...] = ("body",),
) -> dict[NotificationKind, bool]:
    """Set the given kinds on or off; kinds not named keep their value.

    A kind that does not exist, or that the person cannot receive (a coach-only
    account naming ``plan_reminder``), is a 422 located at that field: saying
    "off" to mail one never gets would look like it did something.
    """
    assert user.id is not None
    allowed = {kind.value for kind in kinds_for(user)}
    refused = [name for name in changes if name not in allowed]
    if refused:
        raise InvalidInput(
            "Not a notification you receive",
            errors=[
                field_error([*loc_prefix, name], "not a notification you receive")
                for name in sorted(refused)
            ],
        )
    for name, enabled in changes.items():
        row = session.get(NotificationPreference, (user.id, name))
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=name, enabled=enabled)
        row.enabled = enabled
        session.add(row)
    session.flush()
    return preferences_of(session=session, user=user)


def wants_notification(*, session: Session, user: User, kind: NotificationKind) -> bool:
    """True unless ``user`` turned ``kind`` off (or cannot receive it at all)."""
    if not user.is_active or not user.has_role(KIND_ROLE[kind]):
        return False
    assert user.id is not None
    row = session.get(NotificationPreference, (user.id, kind.value))
    return True if row is None else row.enabled
