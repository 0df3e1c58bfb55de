"""The report API: PDF and HTML preview of an assessment's report, and share links.

Caching headers, and why:

* ``GET …/report.pdf`` answers ``ETag`` (the hash of everything in the
  report) with ``Cache-Control: private, no-cache``: a browser may keep the
  PDF but must revalidate every time, so ``If-None-Match`` gets a cheap 304
  while any change (a new coach rating) is seen at once. ``private`` keeps
  shared caches out; ``no-store`` would forbid the revalidation.
* The HTML preview and everything else: ``private, no-store``.
* ``GET /shared/{secret}.pdf`` is public but personal: ``private, no-store``,
  no ``ETag``, ``Referrer-Policy: no-referrer`` (the URL is the credential)
  and ``X-Robots-Tag: noindex``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep, UnitOfWorkDep
from app.core.types import Id
from app.reports import service
from app.reports.delivery import ReportPdf
from app.reports.document import Paper
from app.reports.schemas import CreatedShareLinkOut, ShareLinkCreate, ShareLinkOut

router = APIRouter(prefix="/api/v1", tags=["reports"])
public_router = APIRouter(tags=["reports"])

PaperQuery = Annotated[Paper, Query(description="Paper size: a4 (default) or letter")]
IfNoneMatch = Annotated[str | None, Header(alias="If-None-Match")]
PDF_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report as PDF"},
    304: {"description": "Unchanged since the ETag in If-None-Match"},
    409: {"description": "The assessment is not submitted yet"},
    503: {"description": "The renderer is busy or the render took too long; retry later"},
}
REVALIDATE = "private, no-cache"
NO_STORE = "private, no-store"


def _pdf(report: ReportPdf, *, shared: bool = False) -> Response:
    if report.pdf is None:
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED,
            headers={"ETag": report.etag, "Cache-Control": REVALIDATE},
        )
    headers = {
        "Content-Disposition": f'attachment; filename="{report.filename}"',
        "X-Report-Cache": "hit" if report.from_cache else "miss",
    }
    if shared:
        headers |= {
            "Cache-Control": NO_STORE,
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex",
        }
    else:
        headers |= {"ETag": report.etag, "Cache-Control": REVALIDATE}
    return Response(content=report.pdf, media_type="application/pdf", headers=headers)


@router.get("/assessments/{assessment_id}/report.pdf", responses=PDF_RESPONSES)
async def report_pdf(
    assessment_id: Id,
    session: SessionDep,
    new_unit: UnitOfWorkDep,
    user: CurrentUser,
    paper: PaperQuery = "a4",
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The development report of a submitted assessment (owner, assigned coach, admin)."""
    report = await service.get_report_pdf(
        session=session,
        new_unit=new_unit,
        user=user,
        assessment_id=assessment_id,
        paper=paper,
        if_none_match=if_none_match,
    )
    return _pdf(report)


@router.get("/assessments/{assessment_id}/report.html", response_class=HTMLResponse)
def report_html(
    assessment_id: Id, session: SessionDep, user: CurrentUser, paper: PaperQuery = "a4"
) -> HTMLResponse:
    """The same report as an HTML page: a preview of the PDF's template."""
    html = service.get_report_html(
        session=session, user=user, assessment_id=assessment_id, paper=paper
    )
    return HTMLResponse(html, headers={"Cache-Control": NO_STORE})


@router.post(
    "/assessments/{assessment_id}/share-links",
    response_model=CreatedShareLinkOut,
    status_code=status.HTTP_201_CREATED,
)
def create_share_link(
    assessment_id: Id,
    body: ShareLinkCreate,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> CreatedShareLinkOut:
    """A link anyone can open to download this one report, until it expires or is revoked.

    The URL (with its secret) is in this response only; it is not stored.
    """
    created = service.create_share_link(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expires_in_days=body.expires_in_days,
        paper=body.paper,
    )
    url = str(request.url_for("shared_report_pdf", secret=created.secret))
    return CreatedShareLinkOut(**ShareLinkOut.of(created.link).model_dump(), url=url)


@router.get("/assessments/{assessment_id}/share-links", response_model=list[ShareLinkOut])
def list_share_links(
    assessment_id: Id, session: SessionDep, user: CurrentUser
) -> list[ShareLinkOut]:
    """The owner's links to this report (active, expired and revoked)."""
    links = service.list_share_links(session=session, user=user, assessment_id=assessment_id)
    return [ShareLinkOut.of(link) for link in links]


@router.delete("/share-links/{link_id}", response_model=ShareLinkOut)
def revoke_share_link(link_id: Id, session: SessionDep, user: CurrentUser) -> ShareLinkOut:
    """Revoke a link: it stops working at once (the owner only)."""
    return ShareLinkOut.of(service.revoke_share_link(session=session, user=user, link_id=link_id))


@public_router.get(
    "/shared/{secret}.pdf",
    name="shared_report_pdf",
    responses=PDF_RESPONSES,
    include_in_schema=True,
)
async def shared_report_pdf(secret: str, session: SessionDep, new_unit: UnitOfWorkDep) -> Response:
    """The PDF behind a share link; no account needed. Unknown, expired or revoked: 404."""
    report = await service.get_shared_report_pdf(session=session, new_unit=new_unit, secret=secret)
    return _pdf(report, shared=True)
