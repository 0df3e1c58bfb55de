"""JSON API: the caller's own notification preferences.

``GET`` answers the kinds the caller can receive (by role) and whether each
is on; ``PUT`` sets any of them (the others keep their value). An unknown
field, a non-boolean value or a kind the caller cannot receive is a 422
located at that field.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, StrictBool

from app.accounts import preferences
from app.accounts.deps import CurrentUser
from app.accounts.preferences import NotificationKind
from app.core.deps import SessionDep

router = APIRouter(prefix="/api/v1/me", tags=["auth"])


class NotificationPreferencesOut(BaseModel):
    """Each optional kind the caller receives; kinds of other roles are left out."""

    review_finalized: bool | None = None
    plan_reminder: bool | None = None
    assessment_submitted: bool | None = None

    @classmethod
    def of(cls, chosen: dict[NotificationKind, bool]) -> NotificationPreferencesOut:
        return cls.model_validate({kind.value: on for kind, on in chosen.items()})


class NotificationPreferencesIn(BaseModel):
    """The kinds to change: ``true`` on, ``false`` off; omitted kinds stay as they are."""

    model_config = ConfigDict(extra="forbid")

    review_finalized: StrictBool | None = None
    plan_reminder: StrictBool | None = None
    assessment_submitted: StrictBool | None = None


@router.get(
    "/notification-preferences",
    response_model=NotificationPreferencesOut,
    response_model_exclude_none=True,
)
def get_notification_preferences(
    session: SessionDep, user: CurrentUser
) -> NotificationPreferencesOut:
    """Which optional emails the caller receives (invitations and resets are not optional)."""
    return NotificationPreferencesOut.of(preferences.preferences_of(session=session, user=user))


@router.put(
    "/notification-preferences",
    response_model=NotificationPreferencesOut,
    response_model_exclude_none=True,
)
def put_notification_preferences(
    body: NotificationPreferencesIn, session: SessionDep, user: CurrentUser
) -> NotificationPreferencesOut:
    """Turn kinds on or off; 422 at a kind the caller's roles do not receive."""
    changes = body.model_dump(exclude_none=True)
    chosen = preferences.update_preferences(session=session, user=user, changes=changes)
    return NotificationPreferencesOut.of(chosen)
