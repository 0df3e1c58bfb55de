"""Mail in the recipient's language, read back from a real SMTP server (aiosmtpd).

The notification functions of each domain queue the mail, the real job runner sends
it: subjects, bodies and dates are German for a German recipient, plurals follow
the number in both languages, and a rater's mail follows the asking participant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts import notifications as account_mail
from app.accounts.invitations import IssuedInvitation
from app.accounts.models import Invitation, User
from app.feedback import notifications as feedback_mail
from app.feedback.models import FeedbackInvitation, FeedbackRequest
from app.jobs import runner
from app.programmes import notifications as programme_mail
from app.programmes.models import Cycle
from tests.fixtures.catalog import untranslated
from tests.fixtures.paths import ROOT
from tests.fixtures.smtp import SmtpServer

STALE = timedelta(minutes=10)
CLOSES = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def _person(name: str, locale: str | None) -> User:
    return User(email=f"{name.lower()}@example.test", display_name=name, locale=locale)


Queue = Callable[[Session], None]


def _send(engine: Engine, smtp: SmtpServer, queue: Queue) -> tuple[str, str, str]:
    """Send the one message ``queue`` queues through the job runner: (subject, text, html)."""
    before = len(smtp.inbox.messages)
    with Session(engine) as session:
        queue(session)
        session.commit()
    runner.run_until_idle(engine=engine, stale_after=STALE, periodic=False)
    (received,) = smtp.inbox.wait_for(before + 1)[before:]
    return _parts(received)


def _parts(message: EmailMessage) -> tuple[str, str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    lines = (part.get_content().replace("\r\n", "\n") for part in (text, html))
    return (str(message["Subject"]), *lines)  # type: ignore[return-value]


def _invite(person: User, hours: int, inviter: User | None) -> Queue:
    def queue(session: Session) -> None:
        issued = IssuedInvitation(secret="s3cr3t", invitation=Invitation(), user=person)
        account_mail.mail_invitation(
            session=session, issued=issued, ttl=timedelta(hours=hours), invited_by=inviter
        )

    return queue


def test_the_invitation_is_german_for_a_german_account_with_plural_hours(
    jobs_engine: Engine, smtp_settings: SmtpServer
) -> None:
    ada = _person("Ada", "de")
    subject, text, html = _send(jobs_engine, smtp_settings, _invite(ada, 1, _person("Grace", None)))
    assert subject == "Ihre Einladung zu Stepwise"
    assert text.startswith("Hallo Ada,\n")
    assert "Grace hat Sie zu Stepwise eingeladen." in text
    assert "(der Link funktioniert einmal, 1 Stunde lang):" in text
    assert '<html lang="de">' in html and ">Passwort festlegen</a>" in html
    assert "Der Link funktioniert einmal, 1 Stunde lang." in html
    many = _send(jobs_engine, smtp_settings, _invite(ada, 72, None))
    assert "Sie wurden zu Stepwise eingeladen." in many[1]
    assert "72 Stunden lang" in many[1] and "Stunde lang" not in many[1].replace("Stunden", "")
    # English is the default for an account without a language, with its own plural.
    english = _send(jobs_engine, smtp_settings, _invite(_person("Bo", None), 1, None))
    assert english[0] == "You are invited to Stepwise"
    assert "(the link works once, for 1 hour):" in english[1]


def test_the_cycle_opened_mail_is_german_with_a_german_date(
    jobs_engine: Engine, smtp_settings: SmtpServer
) -> None:
    member = _person("Ada", "de")
    cycle = Cycle(name="Frühjahr 2026", closes_at=CLOSES, accept_late=True)

    subject, text, html = _send(
        jobs_engine,
        smtp_settings,
        lambda session: programme_mail.mail_cycle_opened(
            session=session, member=member, cycle=cycle, assessment_id=7
        ),
    )
    assert subject == "Ihre Selbsteinschätzung steht bereit: Frühjahr 2026"
    assert "Der Einschätzungsdurchlauf „Frühjahr 2026“ hat für Sie begonnen." in text
    assert "bitte geben Sie sie bis zum 4. Dezember 2026 um 17:00 Uhr UTC ab." in text
    assert "nicht angenommen" not in text  # late submissions are accepted in this cycle
    assert text.rstrip().endswith("/assessments/7")
    assert ">Zur Einschätzung</a>" in html


def _feedback(participant: User, *, reminder_days: int | None) -> Queue:
    request = FeedbackRequest(due_date=date(2026, 12, 24), message=None)
    invitation = FeedbackInvitation(
        email="rater@example.test",
        message="Danke dir!",
        expires_at=datetime(2027, 1, 7, 12, 0, tzinfo=UTC),
    )

    def queue(session: Session) -> None:
        what = {"invitation": invitation, "request": request, "participant": participant}
        if reminder_days is None:
            feedback_mail.mail_invitation(session=session, secret="r4ter", **what)  # type: ignore[arg-type]
            return
        today = request.due_date - timedelta(days=reminder_days)
        feedback_mail.mail_reminder(session=session, secret="r4ter", today=today, **what)  # type: ignore[arg-type]

    return queue


def test_a_rater_reads_the_feedback_mail_in_the_asking_participants_language(
    jobs_engine: Engine, smtp_settings: SmtpServer
) -> None:
    ada = _person("Ada", "de")
    subject, text, html = _send(jobs_engine, smtp_settings, _feedback(ada, reminder_days=None))
    assert subject == "Ada bittet Sie um Feedback"
    assert text.startswith("Hallo,\n")
    assert "Die Nachricht an Sie:\n\nDanke dir!" in text
    assert "Bitte antworten Sie bis zum 24. Dezember 2026;" in text
    assert "funktioniert bis zum 7. Januar 2027." in text
    assert "/feedback/r4ter" in text and ">Feedback geben</a>" in html

    subject, text, _ = _send(jobs_engine, smtp_settings, _feedback(ada, reminder_days=1))
    assert subject == "Erinnerung: Ada bittet Sie um Feedback"
    assert "fällig ist es morgen (24. Dezember 2026)." in text
    _, text, _ = _send(jobs_engine, smtp_settings, _feedback(ada, reminder_days=5))
    assert "fällig ist es in 5 Tagen (24. Dezember 2026)." in text

    bo = _person("Bo", None)
    subject, text, _ = _send(jobs_engine, smtp_settings, _feedback(bo, reminder_days=5))
    assert subject == "Reminder: Bo asks for your feedback"
    assert "due in 5 days (December 24, 2026)." in text


def test_every_mail_string_has_a_german_translation() -> None:
    templates = sorted((ROOT / "templates" / "email").glob("*.*"))
    subjects = [
        ROOT / "app" / domain / "notifications.py"
        for domain in ("accounts", "coaching", "feedback", "programmes")
    ]
    assert untranslated("de", [*templates, *subjects]) == []
