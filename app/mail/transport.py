"""SMTP: building the multipart message and handing it to the server.

``STEPWISE_SMTP_TLS`` is ``tls`` (implicit TLS, usually port 465),
``starttls`` (upgrade a plain connection, usually 587; refused if the server
does not offer it) or ``none`` (a local relay). Certificates are verified
with the system's trust store.

Failures come in two kinds: :class:`RecipientRefused` (the server refused
the address with a 5xx: sending again will not help) and everything else
(connection refused, timeouts, 4xx, a refused login), which the job retries.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from app.core.config import Settings


class RecipientRefused(Exception):
    """The server refused the recipient permanently (5xx)."""


def build_email(
    *, mail_from: str, to: str, subject: str, text: str, html: str | None
) -> EmailMessage:
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = to
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(domain="stepwise")
    email.set_content(text)
    if html:
        email.add_alternative(html, subtype="html")
    return email


def send(email: EmailMessage, *, settings: Settings) -> None:
    """Deliver one message, or raise (RecipientRefused for a permanent refusal)."""
    assert settings.smtp_host
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_tls == "tls":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout_seconds,
            context=context,
        )
    else:
        smtp = smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        )
    with smtp:
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        try:
            smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                reason = "; ".join(
                    f"{code} {msg.decode(errors='replace')}"
                    for code, msg in exc.recipients.values()
                )
                raise RecipientRefused(reason[:500]) from None
            raise
