"""The ``mail.send`` job: one message, once.

Without ``STEPWISE_SMTP_HOST`` the message is "logged": the log gets its
recipient, subject and id (never the body, whose links are credentials) and
the outbox keeps it for admins. With a server, a message that was accepted
loses its bodies; an address refused with a 5xx is recorded as undeliverable
and later mail to it is suppressed until an admin clears it; anything else
is retried with backoff (1, 2, 4, 8, 16 minutes) and then marked failed.

Delivery is at least once: a worker that dies after the server accepted the
message but before the commit sends it again on the retry.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session, select

from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.jobs.registry import task
from app.mail import transport
from app.mail.models import MailMessage, MailStatus, UndeliverableAddress
from app.mail.outbox import SEND_TASK, is_undeliverable

logger = logging.getLogger("stepwise.mail")

FINISHED = frozenset({MailStatus.sent, MailStatus.logged, MailStatus.failed, MailStatus.suppressed})


def _record_failure(*, session: Session, args: dict[str, Any], error: str, final: bool) -> None:
    message = session.get(MailMessage, args.get("message_id"))
    if message is None:
        return
    message.attempts += 1
    message.last_error = error
    message.status = MailStatus.failed if final else MailStatus.queued
    session.add(message)


def _record_undeliverable(*, session: Session, address: str, reason: str) -> None:
    address = address.lower()
    known = session.exec(
        select(UndeliverableAddress).where(UndeliverableAddress.address == address)
    ).first()
    if known is None:
        session.add(UndeliverableAddress(address=address, reason=reason))
    else:
        known.failures += 1
        known.reason = reason
        known.last_failed_at = utcnow()
        session.add(known)


@task(SEND_TASK, max_attempts=6, retry_base_seconds=60, on_failure=_record_failure)
def send_message(*, session: Session, message_id: int) -> None:
    message = session.get(MailMessage, message_id)
    if message is None or message.status in FINISHED:
        return  # already handled (a re-run after a crash), or deleted
    settings = get_settings()
    if is_undeliverable(session=session, address=message.to_address):
        message.status = MailStatus.suppressed
        message.last_error = "address recorded as undeliverable"
        session.add(message)
        logger.info("mail suppressed: id=%s to=%s", message.id, message.to_address)
        return
    message.attempts += 1
    if not settings.smtp_host:
        message.status = MailStatus.logged
        message.sent_at = utcnow()
        session.add(message)
        logger.info(
            "mail (no SMTP server; kept in the outbox): id=%s to=%s subject=%r",
            message.id,
            message.to_address,
            message.subject,
        )
        return
    email = transport.build_email(
        mail_from=settings.mail_from,
        to=message.to_address,
        subject=message.subject,
        text=message.text_body or "",
        html=message.html_body,
    )
    try:
        transport.send(email, settings=settings)
    except transport.RecipientRefused as exc:
        _record_undeliverable(session=session, address=message.to_address, reason=str(exc))
        message.status = MailStatus.failed
        message.last_error = str(exc)[:500]
        session.add(message)
        logger.warning("mail refused for good: id=%s to=%s", message.id, message.to_address)
        return
    message.status = MailStatus.sent
    message.sent_at = utcnow()
    message.text_body = None  # links in it are credentials; the recipient has the copy
    message.html_body = None
    message.last_error = None
    session.add(message)
    logger.info(
        "mail sent: id=%s to=%s subject=%r", message.id, message.to_address, message.subject
    )
