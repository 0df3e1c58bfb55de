"""Downloads of a cohort's results: CSV and XLSX, through the API and from the page.

``/api/v1/cohorts/{id}/results.csv|.xlsx`` (bearer token) and
``/cohorts/{id}/results.csv|.xlsx`` (the signed-in browser) answer the same
file; ``Cache-Control: no-store`` (personal data), and a file name made of
the cohort id only (never its name, which is someone's text).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from app.accounts.deps import CurrentUser, PageUser
from app.core.deps import SessionDep, end_transaction
from app.core.types import Id
from app.programmes.exports import results_csv, results_xlsx
from app.programmes.exports_service import cohort_result_rows
from app.programmes.exports_summary import summary_html
from app.reports.pool import render_pdf_async

router = APIRouter(tags=["exports"])
pages = APIRouter(tags=["pages"], include_in_schema=False)

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _csv(session: SessionDep, user: CurrentUser, cohort_id: int) -> Response:
    _, rows = cohort_result_rows(session=session, user=user, cohort_id=cohort_id)
    return _file(results_csv(rows), CSV, f"cohort-{cohort_id}-results.csv")


def _xlsx(session: SessionDep, user: CurrentUser, cohort_id: int) -> Response:
    _, rows = cohort_result_rows(session=session, user=user, cohort_id=cohort_id)
    return _file(results_xlsx(rows), XLSX, f"cohort-{cohort_id}-results.xlsx")


@router.get("/api/v1/cohorts/{cohort_id}/results.csv", response_class=Response)
def api_results_csv(cohort_id: Id, user: CurrentUser, session: SessionDep) -> Response:
    """One row per member x behavior x cycle: rubric id and version, self and coach level."""
    return _csv(session, user, cohort_id)


@router.get("/api/v1/cohorts/{cohort_id}/results.xlsx", response_class=Response)
def api_results_xlsx(cohort_id: Id, user: CurrentUser, session: SessionDep) -> Response:
    """The same rows as the CSV, as an Excel workbook."""
    return _xlsx(session, user, cohort_id)


@pages.get("/cohorts/{cohort_id:id}/results.csv")
def page_results_csv(cohort_id: Id, user: PageUser, session: SessionDep) -> Response:
    return _csv(session, user, cohort_id)


@pages.get("/cohorts/{cohort_id:id}/results.xlsx")
def page_results_xlsx(cohort_id: Id, user: PageUser, session: SessionDep) -> Response:
    return _xlsx(session, user, cohort_id)


async def _summary(session: SessionDep, user: CurrentUser, cycle_id: int) -> Response:
    """Gather the figures, hand the connection back, then render in the report pool."""
    html = await run_in_threadpool(summary_html, session=session, user=user, cycle_id=cycle_id)
    await end_transaction(session)
    pdf = await render_pdf_async(html)
    return _file(pdf, "application/pdf", f"cycle-{cycle_id}-summary.pdf")


@router.get("/api/v1/cycles/{cycle_id}/insights/summary.pdf", response_class=Response)
async def api_summary_pdf(cycle_id: Id, user: CurrentUser, session: SessionDep) -> Response:
    """The cohort's PDF summary of one cycle: a radar per competency, strongest/weakest,
    distributions and change (a lead's with the aggregates-only rules)."""
    return await _summary(session, user, cycle_id)


@pages.get("/cycles/{cycle_id:id}/summary.pdf")
async def page_summary_pdf(cycle_id: Id, user: PageUser, session: SessionDep) -> Response:
    return await _summary(session, user, cycle_id)
