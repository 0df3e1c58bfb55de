"""Background jobs: what enqueueing costs a request, and how soon a job runs.

    .venv/bin/python bench/bench_jobs.py                       # SQLite (in-process runner)
    STEPWISE_BENCH_PG=postgresql://... .venv/bin/python bench/bench_jobs.py   # + PostgreSQL worker

* enqueue: one ``queue_mail`` (render both parts, insert the message, insert the
  job) inside a transaction, median of N, and the cost of the job insert alone;
* latency: from the commit of 20 messages to all 20 sent (no SMTP: "logged"),
  by the SQLite loop in a thread, or by one real ``stepwise worker``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.core import migrations  # noqa: E402
from app.core.db import make_engine  # noqa: E402
from app.jobs.queue import enqueue  # noqa: E402
from app.mail.outbox import queue_mail  # noqa: E402

N = 200
BATCH = 20
CONTEXT = {"name": "Pat", "inviter": None, "link": "http://x.test/i/secret", "hours": 72}


def enqueue_costs(engine: Engine) -> tuple[float, float]:
    mail, job = [], []
    with Session(engine) as session:
        for _ in range(N):
            start = time.perf_counter()
            queue_mail(
                session=session, to="p@x.test", kind="invitation", subject="s", context=CONTEXT
            )
            mail.append(time.perf_counter() - start)
            start = time.perf_counter()
            enqueue(session=session, task="mail.send", args={"message_id": 0})
            job.append(time.perf_counter() - start)
        session.rollback()
    return statistics.median(mail) * 1000, statistics.median(job) * 1000


def sent_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM mail_messages WHERE status = 'logged'")
            ).scalar_one()
        )


def queue_batch(engine: Engine) -> float:
    with Session(engine) as session:
        for _ in range(BATCH):
            queue_mail(
                session=session, to="p@x.test", kind="invitation", subject="s", context=CONTEXT
            )
        session.commit()
    return time.perf_counter()


def wait_for(engine: Engine, count: int, started: float) -> float:
    while sent_count(engine) < count:
        time.sleep(0.01)
    return time.perf_counter() - started


def sqlite_latency(engine: Engine) -> float:
    from app import tasks  # noqa: F401
    from app.jobs.in_process import run_loop

    loop = asyncio.new_event_loop()
    runner = loop.create_task(
        run_loop(engine=engine, poll_seconds=1.0, stale_after=timedelta(minutes=10))
    )
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    time.sleep(1.5)
    started = queue_batch(engine)
    elapsed = wait_for(engine, BATCH, started)
    loop.call_soon_threadsafe(runner.cancel)
    loop.call_soon_threadsafe(loop.stop)
    return elapsed


def postgres_latency(url: str, engine: Engine) -> float:
    env = {**os.environ, "STEPWISE_DATABASE_URL": url, "STEPWISE_ENVIRONMENT": "development"}
    env.pop("STEPWISE_SMTP_HOST", None)
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/stepwise"), "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)  # started and listening
        started = queue_batch(engine)
        return wait_for(engine, BATCH, started)
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrations.upgrade(url)
        engine = make_engine(url)
        mail_ms, job_ms = enqueue_costs(engine)
        print(f"sqlite   queue_mail median {mail_ms:.2f} ms, job insert alone {job_ms:.3f} ms")
        print(
            f"sqlite   {BATCH} mails committed -> all sent: {sqlite_latency(engine) * 1000:.0f} ms "
            "(in-process loop, 1 s poll)"
        )
        engine.dispose()
    pg = os.environ.get("STEPWISE_BENCH_PG")
    if pg:
        engine = make_engine(pg)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        migrations.upgrade(pg)
        engine = make_engine(pg)
        mail_ms, job_ms = enqueue_costs(engine)
        print(f"postgres queue_mail median {mail_ms:.2f} ms, job defer alone {job_ms:.3f} ms")
        latency_ms = postgres_latency(pg, engine) * 1000
        print(
            f"postgres {BATCH} mails committed -> all sent: {latency_ms:.0f} ms "
            "(one stepwise worker, LISTEN/NOTIFY)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
