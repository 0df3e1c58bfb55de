"""Admin pages of the outbox: recent messages, one message, undeliverable addresses.

Without an SMTP server this is where mail "arrives" in development, so a
message's text is shown while it is kept (until an SMTP server accepted it).
Admins only (404 for everyone else, by the guard of :func:`app.accounts.deps.admin_pages_router`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import admin_pages_router
from app.core.deps import SessionDep, SettingsDep
from app.core.i18n import N_
from app.core.pages import done_flash, render_page, see_other
from app.mail import outbox

router = admin_pages_router("/admin/mail")

DONE_MESSAGES = {"forgotten": N_("The address will be mailed again.")}


@router.get("", response_class=HTMLResponse)
def outbox_page(
    request: Request, session: SessionDep, settings: SettingsDep, done: str = ""
) -> Response:
    return render_page(
        request,
        "mail/admin_mail.html",
        messages=outbox.recent_messages(session=session),
        undeliverable=outbox.undeliverable_addresses(session=session),
        smtp_configured=bool(settings.smtp_host),
        flash=done_flash(done, DONE_MESSAGES),
    )


@router.get("/{message_id}", response_class=HTMLResponse)
def message_page(message_id: int, request: Request, session: SessionDep) -> Response:
    message = outbox.get_message(session=session, message_id=message_id)
    return render_page(
        request,
        "mail/admin_message.html",
        message=message,
        shows_text=outbox.shows_text(message),
    )


@router.post("/undeliverable/{address_id}/forget")
def forget_address(address_id: int, session: SessionDep) -> Response:
    outbox.forget_undeliverable(session=session, address_id=address_id)
    return see_other("/admin/mail?done=forgotten")
