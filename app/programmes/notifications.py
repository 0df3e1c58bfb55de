"""The programme mail: a member told that a cycle opened, and reminded before it closes.

Both are part of taking part in a programme (like an invitation), not
optional notifications, so no preference is asked. Each is written in the
member's language (``User.locale``, read when the mail is queued: the
reminder job reads it when it runs). Each is queued in the
transaction that records it (``invited_at``, ``reminded_at``): a rolled-back
opening sends nothing, and a committed one sends exactly once.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.core.config import get_settings
from app.core.i18n import N_
from app.mail.compose import subject_text
from app.mail.outbox import queue_mail
from app.programmes.models import Cycle


def assessment_path(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}"


def _context(member: User, cycle: Cycle, assessment_id: int) -> dict[str, object]:
    return {
        "name": member.display_name,
        "cycle": cycle.name,
        "closes": cycle.closes_at,
        "accept_late": cycle.accept_late,
        "link": get_settings().public_url + assessment_path(assessment_id),
    }


def _mail_member(
    session: Session, *, kind: str, subject: str, member: User, cycle: Cycle, assessment_id: int
) -> None:
    """Queue a mail about ``cycle`` to one member, with the link to their assessment."""
    queue_mail(
        session=session,
        to=member.email,
        kind=kind,
        subject=subject,
        subject_args={"cycle": subject_text(cycle.name)},
        locale=member.locale,
        context=_context(member, cycle, assessment_id),
    )


def mail_cycle_opened(*, session: Session, member: User, cycle: Cycle, assessment_id: int) -> None:
    _mail_member(
        session,
        kind="cycle_opened",
        subject=N_("Your self-assessment is ready: %(cycle)s"),
        member=member,
        cycle=cycle,
        assessment_id=assessment_id,
    )


def mail_cycle_reminder(
    *, session: Session, member: User, cycle: Cycle, assessment_id: int
) -> None:
    _mail_member(
        session,
        kind="cycle_reminder",
        subject=N_("Reminder: %(cycle)s closes soon"),
        member=member,
        cycle=cycle,
        assessment_id=assessment_id,
    )
