"""Authorization rules: the admin pages of jobs and mail, and the forgot-password pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.accounts import csrf, password_reset
from app.core.config import get_settings
from app.mail.models import MailMessage, UndeliverableAddress
from app.mail.outbox import queue_mail
from tests.authz.matrix import (
    Rule,
    World,
    admin_only,
    everyone,
    one_time_link_rules,
    presession_cookie,
)
from tests.fixtures.factories import PASSWORD
from tests.fixtures.failed_jobs import add_failed_job


def prepare(world: World, session: Session) -> dict[str, Any]:
    """A failed job, a message, an undeliverable address and an open reset link."""
    message = queue_mail(
        session=session,
        to=world.owner.email,
        kind="invitation",
        subject="You are invited to Stepwise",
        context={"name": "Owner", "inviter": None, "link": "http://x.test/i/1", "hours": 1},
    )
    address = UndeliverableAddress(address="gone@example.test", reason="550 No such mailbox")
    session.add(address)
    session.flush()
    password_reset.request_password_reset(
        session=session,
        email=world.other_participant.email,
        client="authz",
        limits=password_reset.ResetLimits(per_account=100, per_client=100, ttl=timedelta(hours=1)),
        base_url="http://x.test",
    )
    return {
        "job_id": add_failed_job(session),
        "message_id": message.id,
        "address_id": address.id,
        "secret": _mailed_reset_secret(session),
        "presession": csrf.new_presession_token(key=get_settings().secret_key),
    }


def _mailed_reset_secret(session: Session) -> str:
    """The secret of the reset link just mailed (read back from the outbox)."""
    mail = session.exec(
        select(MailMessage)
        .where(col(MailMessage.kind) == "password_reset")
        .order_by(col(MailMessage.id).desc())
    ).first()
    assert mail is not None and mail.text_body is not None
    return mail.text_body.split("/reset-password/", 1)[1].split()[0]


page_admin_only = admin_only(200, anonymous=303)

RULES: list[Rule] = [
    Rule("GET", "/admin/jobs", page_admin_only),
    Rule("POST", "/admin/jobs/{job_id}/retry", admin_only(303, anonymous=303)),
    Rule("GET", "/admin/mail", page_admin_only),
    Rule("GET", "/admin/mail/{message_id}", page_admin_only),
    Rule("POST", "/admin/mail/undeliverable/{address_id}/forget", admin_only(303, anonymous=303)),
    Rule("GET", "/forgot-password", everyone(200), public=True),
    Rule(
        "POST",
        "/forgot-password",
        everyone(200),
        form=lambda ctx: {"email": ctx["owner_email"], "csrf_token": ctx["presession"]},
        cookies=presession_cookie,
        public=True,
    ),
    Rule(
        "POST",
        "/forgot-password",
        everyone(403),
        form=lambda ctx: {"email": ctx["owner_email"], "csrf_token": ctx["presession"]},
        public=True,
        name="no CSRF cookie",
    ),
    *one_time_link_rules("/reset-password/{secret}", password=PASSWORD),
]
