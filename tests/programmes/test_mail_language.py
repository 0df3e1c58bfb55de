"""Cycle mail in each member's language, read when the mail is queued (a switch applies next)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.mail.models import MailMessage
from app.programmes import cycles
from tests.programmes.conftest import T0, Programme


def _mail(session: Session, kind: str, to: str) -> MailMessage:
    found = session.exec(
        select(MailMessage)
        .where(col(MailMessage.kind) == kind, col(MailMessage.to_address) == to)
        .order_by(col(MailMessage.id).desc())
    ).first()
    assert found is not None, (kind, to)
    return found


def test_each_member_reads_the_cycle_mail_in_their_language(
    session: Session, programme: Programme
) -> None:
    german, english, switching = programme.members
    german.locale, english.locale, switching.locale = "de", None, None
    session.commit()

    cycles.run_due_cycles(session=session, now=T0)
    opened = _mail(session, "cycle_opened", german.email)
    assert opened.subject == f"Ihre Selbsteinschätzung steht bereit: {programme.cycle.name}"
    body = opened.text_body or ""
    assert f"Hallo {german.display_name}," in body
    # The closing time through Babel, in German: 15. März 2030 um 09:00 Uhr UTC.
    assert "bis zum 15. März 2030 um 09:00 Uhr UTC ab." in body
    assert "Später abgegebene Einschätzungen werden nicht angenommen." in body
    assert '<html lang="de">' in (opened.html_body or "")
    plain = _mail(session, "cycle_opened", english.email)
    assert plain.subject == f"Your self-assessment is ready: {programme.cycle.name}"
    assert "please submit it by March 15, 2030 at 9:00\u202fAM UTC." in (plain.text_body or "")

    # The reminder job reads the language when it runs: a member who switched gets it in German.
    switching.locale = "de"
    session.commit()
    cycles.run_due_cycles(session=session, now=T0 + timedelta(days=11))
    reminder = _mail(session, "cycle_reminder", switching.email)
    assert reminder.subject == f"Erinnerung: {programme.cycle.name} endet bald"
    assert "Der Durchlauf endet am 15. März 2030 um 09:00 Uhr UTC;" in (reminder.text_body or "")
    assert _mail(session, "cycle_reminder", english.email).subject.startswith("Reminder: ")
