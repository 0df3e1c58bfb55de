"""The admin page of background jobs: counts, queued, running and failed jobs, retry."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import admin_pages_router
from app.core.deps import SessionDep
from app.core.i18n import N_
from app.core.pages import done_flash, render_page, see_other
from app.jobs import service

router = admin_pages_router("/admin/jobs")

DONE_MESSAGES = {"retried": N_("The job is queued again.")}


@router.get("", response_class=HTMLResponse)
def jobs_page(request: Request, session: SessionDep, done: str = "") -> Response:
    return render_page(
        request,
        "jobs/admin_jobs.html",
        counts=service.count_by_status(session=session),
        jobs=service.list_jobs(session=session),
        short_args=service.short_args,
        flash=done_flash(done, DONE_MESSAGES),
    )


@router.post("/{job_id}/retry")
def retry_job(job_id: int, session: SessionDep) -> Response:
    service.retry_job(session=session, job_id=job_id)
    return see_other("/admin/jobs?done=retried")
