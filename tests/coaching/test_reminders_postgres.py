"""PostgreSQL: two real ``stepwise worker`` processes scan for reminders at once; one mail.

Two reminder-scan jobs are deferred together and two workers started, so the
scans overlap; the reminder's row (inserted before the mail is queued, under
its unique key) lets only one of them queue the mail. Uses the job tests'
fresh-database and worker helpers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.coaching import plan, service
from app.coaching.reminder_tasks import REMINDER_TASK
from app.core.timeutils import utcnow
from app.jobs.queue import enqueue
from app.rubrics.loader import load_rubric_dir
from app.rubrics.service import sync_rubrics
from tests.fixtures import postgres as pg
from tests.fixtures.assessments import MINI_CONSISTENT, make_assessment
from tests.fixtures.database import FIXTURE_RUBRICS
from tests.fixtures.factories import new_account
from tests.fixtures.reviews import rate_all
from tests.fixtures.smtp import SmtpServer
from tests.jobs.test_postgres import queue_rows

pytestmark = pytest.mark.postgres


def _person(session: Session, role: Role, email: str) -> User:
    return new_account(role, session=session, email=email, display_name=email.split("@")[0].title())


def _action_due_in_two_days(engine: Engine) -> str:
    """A finalized session with one open action due in two days; the participant's email."""
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(FIXTURE_RUBRICS))
        participant = _person(session, Role.participant, "pat@example.test")
        coach = _person(session, Role.coach, "cory@example.test")
        accounts.assign_coach(session=session, coach=coach, participant=participant)
        assessment = make_assessment(session=session, user=participant, answers=MINI_CONSISTENT)
        review = service.start_review(session=session, user=coach, assessment_id=assessment.id)
        rated = service.save_review(
            session=session,
            user=coach,
            review_id=review.review.id,
            expected_version=review.review.version,
            ratings=rate_all(review.rubric),
        )
        plan.add_plan_action(
            session=session,
            user=coach,
            review_id=rated.review.id,
            title="Hold a weekly review",
            due_date=utcnow().date() + timedelta(days=2),
        )
        service.finalize_review(
            session=session,
            user=coach,
            review_id=rated.review.id,
            expected_version=rated.review.version,
        )
        session.commit()
        return participant.email


SENT = "SELECT count(*) FROM mail_messages WHERE kind = 'plan_reminder_due_soon'"


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_two_workers_scanning_at_once_send_the_reminder_once(
    pg_url: str, pg_engine: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    to = _action_due_in_two_days(pg_engine)
    with Session(pg_engine) as session:
        for _ in range(2):
            enqueue(session=session, task=REMINDER_TASK)
        session.commit()
    env = pg.worker_env(pg_url, smtp_server.env)
    logs = (tmp_path / "a.log", tmp_path / "b.log")

    def explain() -> str:
        rows = queue_rows(pg_engine, REMINDER_TASK)
        return f"{rows}\n" + "\n".join(log.read_text() for log in logs if log.exists())

    def settled() -> bool:
        scans = [r[1] for r in queue_rows(pg_engine, REMINDER_TASK)]
        # Both scans done (a worker may add a periodic one of its own), the mail handed over.
        return (
            len(scans) >= 2
            and set(scans) == {"succeeded"}
            and _count(pg_engine, f"{SENT} AND status = 'sent'") >= 1
        )

    with pg.worker(env, logs[0]), pg.worker(env, logs[1]):
        pg.wait_until(settled, explain=explain)
    assert _count(pg_engine, "SELECT count(*) FROM plan_action_reminders") == 1
    assert _count(pg_engine, SENT) == 1, explain()
    reminders = [m for m in smtp_server.inbox.messages if m["To"] == to]
    assert sorted(m["Subject"] for m in reminders) == [
        "Coming up: Hold a weekly review",
        "Cory finalized the review of your assessment",
    ]
