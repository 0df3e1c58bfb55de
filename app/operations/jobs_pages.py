"""The admin page of background jobs: counts, queued, running and failed jobs, retry."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import policy
from app.accounts.deps import PageUser
from app.core.deps import SessionDep
from app.core.pages import render_page, see_other
from app.jobs import service

router = APIRouter(prefix="/admin/jobs", tags=["pages"], include_in_schema=False)

DONE_MESSAGES = {"retried": "The job is queued again."}


@router.get("", response_class=HTMLResponse)
def jobs_page(request: Request, user: PageUser, session: SessionDep, done: str = "") -> Response:
    policy.ensure_admin(user=user)
    flash = {"kind": "success", "text": DONE_MESSAGES[done]} if done in DONE_MESSAGES else None
    return render_page(
        request,
        "jobs/admin_jobs.html",
        counts=service.count_by_status(session=session),
        jobs=service.list_jobs(session=session),
        short_args=service.short_args,
        flash=flash,
    )


@router.post("/{job_id}/retry")
def retry_job(job_id: int, user: PageUser, session: SessionDep) -> Response:
    policy.ensure_admin(user=user)
    service.retry_job(session=session, job_id=job_id)
    return see_other("/admin/jobs?done=retried")
