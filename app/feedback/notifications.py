"""The feedback mail: a rater's invitation (sent again on resend) and their reminder.

Raters have no account, so there is no preference to check: they get the
invitation they were sent and at most one reminder. Nor have they a
language of their own: their mail is written in the language of the
participant who asks (``User.locale`` of the participant, read when the mail
is queued), who knows the people they ask and chose the language they work
in. The form the link opens is negotiated from the rater's browser as usual. Each message carries
the rater's own link, absolute (``public_url``); the link is the secret, so
it appears in the stored body only until a mail server accepts the message
(:mod:`app.mail`). Subjects name the participant, never the rater's group.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.accounts.models import User
from app.core.config import get_settings
from app.core.i18n import N_
from app.feedback.models import FeedbackInvitation, FeedbackRequest
from app.mail.compose import subject_text
from app.mail.outbox import queue_mail


def rater_path(secret: str) -> str:
    """Where a rater answers: the only route their link opens."""
    return f"/feedback/{secret}"


def _name(user: User) -> str:
    return subject_text(user.display_name)


def _context(
    *, invitation: FeedbackInvitation, request: FeedbackRequest, participant: User, secret: str
) -> dict[str, object]:
    return {
        "participant": participant.display_name,
        "message": invitation.message or request.message,
        "due": request.due_date,
        "expires": invitation.expires_at,
        "link": get_settings().public_url + rater_path(secret),
    }


def _mail_rater(
    session: Session,
    *,
    kind: str,
    subject: str,
    context: dict[str, object],
    invitation: FeedbackInvitation,
    participant: User,
) -> None:
    """Queue a mail to the invited rater, named for the participant, in the participant's
    language (the rater has no account whose language we know)."""
    queue_mail(
        session=session,
        to=invitation.email,
        kind=kind,
        subject=subject,
        subject_args={"participant": _name(participant)},
        locale=participant.locale,
        context=context,
    )


def mail_invitation(
    *,
    session: Session,
    invitation: FeedbackInvitation,
    request: FeedbackRequest,
    participant: User,
    secret: str,
) -> None:
    """Queue the invitation with the rater's link (the caller just created or renewed it)."""
    _mail_rater(
        session,
        kind="feedback_invitation",
        subject=N_("%(participant)s asks for your feedback"),
        context=_context(
            invitation=invitation, request=request, participant=participant, secret=secret
        ),
        invitation=invitation,
        participant=participant,
    )


def mail_reminder(
    *,
    session: Session,
    invitation: FeedbackInvitation,
    request: FeedbackRequest,
    participant: User,
    secret: str,
    today: date,
) -> None:
    """Queue the before-the-due-date reminder (with a renewed link: the first is not kept)."""
    _mail_rater(
        session,
        kind="feedback_reminder",
        subject=N_("Reminder: %(participant)s asks for your feedback"),
        context={
            **_context(
                invitation=invitation, request=request, participant=participant, secret=secret
            ),
            "days": (request.due_date - today).days,
        },
        invitation=invitation,
        participant=participant,
    )
