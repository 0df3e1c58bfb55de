"""Queueing a message: render it, store it, enqueue its sending, all in the caller's transaction.

A rolled-back request therefore leaves neither a message nor a job behind.
The job's argument is the message id, never the body: links in a body are
credentials and must not sit in a job table or a worker's log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from app.core import i18n
from app.core.exceptions import NotFound
from app.jobs.queue import enqueue
from app.mail.compose import render_message
from app.mail.models import MailMessage, UndeliverableAddress

logger = logging.getLogger("stepwise.mail")

SEND_TASK = "mail.send"


#: Kinds whose text carries a link to someone's own anonymous answers (a feedback
#: rater's form, docs/feedback.md): the admin outbox never shows their text, so
#: not even an admin can open a rater's draft through it.
ADDRESSEE_ONLY_KINDS = frozenset({"feedback_invitation", "feedback_reminder"})


def shows_text(message: MailMessage) -> bool:
    """Whether the admin outbox may show this message's text (see ADDRESSEE_ONLY_KINDS)."""
    return message.kind not in ADDRESSEE_ONLY_KINDS


def queue_mail(
    *,
    session: Session,
    to: str,
    kind: str,
    subject: str,
    context: dict[str, Any],
    locale: str | None = None,
    subject_args: Mapping[str, object] | None = None,
) -> MailMessage:
    """Compose ``kind`` for ``to`` in their ``locale`` and enqueue sending it after the commit.

    ``subject`` is the English source string (marked with ``N_``), with
    ``%(name)s`` placeholders filled from ``subject_args`` *after* translation,
    so a translator can move them. ``locale`` is the recipient's choice
    (``User.locale``), read by the caller when it queues the mail (a reminder
    job reads it when it runs, so a changed language applies to the next
    mail); without one, the installation's default language.
    """
    language = i18n.locale_for(locale)
    subject = i18n.gettext(language, subject)
    if subject_args:
        subject = subject % dict(subject_args)
    rendered = render_message(kind, {**context, "subject": subject, "locale": language})
    message = MailMessage(
        to_address=to, subject=subject, kind=kind, text_body=rendered.text, html_body=rendered.html
    )
    session.add(message)
    session.flush()
    enqueue(session=session, task=SEND_TASK, args={"message_id": message.id})
    logger.info("mail queued: id=%s kind=%s to=%s", message.id, kind, to)
    return message


def recent_messages(*, session: Session, limit: int = 100) -> list[MailMessage]:
    return list(
        session.exec(select(MailMessage).order_by(col(MailMessage.id).desc()).limit(limit)).all()
    )


def get_message(*, session: Session, message_id: int) -> MailMessage:
    message = session.get(MailMessage, message_id)
    if message is None:
        raise NotFound("No such message")
    return message


def undeliverable_addresses(*, session: Session) -> list[UndeliverableAddress]:
    return list(
        session.exec(
            select(UndeliverableAddress).order_by(col(UndeliverableAddress.last_failed_at).desc())
        ).all()
    )


def is_undeliverable(*, session: Session, address: str) -> bool:
    return (
        session.exec(
            select(UndeliverableAddress.id).where(
                col(UndeliverableAddress.address) == address.lower()
            )
        ).first()
        is not None
    )


def forget_undeliverable(*, session: Session, address_id: int) -> None:
    """Let mail go to this address again (the person fixed their mailbox)."""
    result = session.execute(
        delete(UndeliverableAddress).where(col(UndeliverableAddress.id) == address_id)
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound("No such address")
    session.flush()


def forget_address(*, session: Session, address: str, name: str) -> int:
    """Delete every message to ``address`` or naming the person, and the address's
    undeliverable mark (erasing a person).

    Mail to others can name them too (a coach told "<name> submitted an
    assessment"): a message whose subject or text holds the address or the
    name goes as well. The outbox is history, so deleting a message about a
    namesake costs little. A queued message whose row is gone is skipped by the
    send task, so nothing more reaches the address. Returns how many went.
    """
    address = address.lower()
    mentions = [
        column.contains(text, autoescape=True)
        for column in (col(MailMessage.subject), col(MailMessage.text_body))
        for text in (address, name)
    ]
    result = session.execute(
        delete(MailMessage).where(or_(col(MailMessage.to_address) == address, *mentions))
    )
    session.execute(
        delete(UndeliverableAddress).where(col(UndeliverableAddress.address) == address)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
