"""``stepwise jobs list|retry|run`` as real processes, on a SQLite file of their own."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.jobs.models import JobStatus
from tests.fixtures.failed_jobs import add_failed_job
from tests.fixtures.jobs import jobs_in

ROOT = Path(__file__).resolve().parents[2]


def stepwise(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "stepwise"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "STEPWISE_DATABASE_URL": url},
        timeout=120,
        check=False,
    )


def test_list_retry_and_run(jobs_url: str, jobs_engine: Engine) -> None:
    with Session(jobs_engine) as session:
        job_id = add_failed_job(session)
        session.commit()
    listed = stepwise(jobs_url, "jobs", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(f"{job_id}\tfailed\tjobs.prune\tattempts=3\t")
    assert listed.stdout.rstrip().endswith("RuntimeError: boom")
    assert stepwise(jobs_url, "jobs", "list", "--status", "succeeded").stdout == "no jobs\n"

    retried = stepwise(jobs_url, "jobs", "retry", str(job_id))
    assert retried.returncode == 0 and retried.stdout == f"job {job_id} queued again\n"
    again = stepwise(jobs_url, "jobs", "retry", str(job_id))
    assert again.returncode == 1 and again.stderr == "stepwise: Only a failed job can be retried\n"

    ran = stepwise(jobs_url, "jobs", "run")
    assert ran.returncode == 0, ran.stderr
    statuses = {job.task: job.status for job in jobs_in(jobs_engine)}
    assert statuses["jobs.prune"] == JobStatus.succeeded


def test_bad_input_is_one_line(jobs_url: str) -> None:
    missing = stepwise(jobs_url, "jobs", "retry", "424242")
    assert missing.returncode == 1 and missing.stderr == "stepwise: No such job\n"
    bad = stepwise(jobs_url, "jobs", "list", "--status", "lost")
    assert bad.returncode == 2 and "unknown status 'lost'" in bad.stderr
    assert "Traceback" not in bad.stderr
