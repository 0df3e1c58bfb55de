"""Mail the accounts domain sends: the invitation (the reset link is in password_reset.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.accounts.invitations import IssuedInvitation
from app.accounts.models import User
from app.core.config import get_settings
from app.core.i18n import N_
from app.mail.outbox import queue_mail

INVITATION_SUBJECT = N_("You are invited to Stepwise")


def mail_invitation(
    *, session: Session, issued: IssuedInvitation, ttl: timedelta, invited_by: User | None
) -> None:
    """Queue the invitation email (in the inviting transaction); the admin still sees the link.

    It is written in the invited person's language when their account already
    has one (an admin may set it), otherwise in ``STEPWISE_DEFAULT_LOCALE``.
    """
    queue_mail(
        session=session,
        to=issued.user.email,
        kind="invitation",
        subject=INVITATION_SUBJECT,
        locale=issued.user.locale,
        context={
            "name": issued.user.display_name,
            "inviter": invited_by.display_name if invited_by is not None else None,
            "link": get_settings().public_url + issued.path,
            "hours": int(ttl.total_seconds() // 3600),
        },
    )
