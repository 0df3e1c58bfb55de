"""HTML pages of share links: the owner's "Share your report" page and the recipient's landing.

* ``GET /assessments/{id}/share`` — the owner's links (active, expired,
  revoked), a form to make a new one (expiry, paper) and a revoke button per
  active link. Only the participant who owns the assessment: their coach and
  admins get 404 like anyone else (sharing is the participant's decision).
* ``POST /assessments/{id}/share`` — makes a link and shows its URL on the
  page it answers, once: only the secret's hash is stored, so there is no
  way to show it again (like an invitation link).
* ``POST /share-links/{id}/revoke`` — the link stops working at once; back to
  the share page (post/redirect/get).
* ``GET /shared/{secret}`` — public: who shared the report, which framework
  and date it covers, until when the link works, and a download button for
  ``/shared/{secret}.pdf`` (:mod:`app.reports.routes`). Unknown, expired and
  revoked links are the same 404 page. Like the PDF, it is ``no-store``,
  ``noindex`` and sends no referrer (the URL is the credential).

All forms are plain posts (no JavaScript needed), CSRF-checked by ``PageUser``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import PageUser
from app.accounts.models import User
from app.core.deps import SessionDep
from app.core.pages import done_flash, render_page, see_other
from app.core.types import Id
from app.reports import service, sharing
from app.reports.document import Paper
from app.reports.schemas import MAX_SHARE_DAYS, ShareLinkOut

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The expiry choices offered on the page (days); the API takes any 1..MAX_SHARE_DAYS.
EXPIRY_CHOICES = (1, 7, 14, 30, MAX_SHARE_DAYS)
DEFAULT_EXPIRY = 14
DONE_MESSAGES = {"revoked": "Link revoked: it no longer opens the report."}
PRIVATE_LINK_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _share_page(
    request: Request,
    *,
    session: Session,
    user: User,
    assessment_id: int,
    **extra: object,
) -> HTMLResponse:
    overview = sharing.get_share_overview(session=session, user=user, assessment_id=assessment_id)
    response = render_page(
        request,
        "reports/share.html",
        overview=overview,
        links=[ShareLinkOut.of(link) for link in overview.links],
        expiry_choices=EXPIRY_CHOICES,
        default_expiry=DEFAULT_EXPIRY,
        created=extra.get("created"),
        url=extra.get("url"),
        flash=extra.get("flash"),
    )
    if extra.get("url"):
        response.headers.update(PRIVATE_LINK_HEADERS)
    return response


@router.get("/assessments/{assessment_id}/share", response_class=HTMLResponse)
def share_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    done: str | None = None,
) -> Response:
    """The owner's share links for one report, and a form for a new one."""
    return _share_page(
        request,
        session=session,
        user=user,
        assessment_id=assessment_id,
        flash=done_flash(done, DONE_MESSAGES),
    )


@router.post("/assessments/{assessment_id}/share", response_class=HTMLResponse)
def create_share_link(
    request: Request,
    session: SessionDep,
    user: PageUser,
    assessment_id: Id,
    expires_in_days: Annotated[int, Form(ge=1, le=MAX_SHARE_DAYS)] = DEFAULT_EXPIRY,
    paper: Annotated[Paper, Form()] = "a4",
) -> Response:
    """Make a link and show its URL, this once."""
    created = service.create_share_link(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expires_in_days=expires_in_days,
        paper=paper,
    )
    url = str(request.url_for("shared_report_page", secret=created.secret))
    return _share_page(
        request,
        session=session,
        user=user,
        assessment_id=assessment_id,
        created=ShareLinkOut.of(created.link),
        url=url,
    )


@router.post("/share-links/{link_id}/revoke")
def revoke_share_link(session: SessionDep, user: PageUser, link_id: Id) -> Response:
    """Revoke (idempotent), then back to the share page."""
    link = service.revoke_share_link(session=session, user=user, link_id=link_id)
    return see_other(f"/assessments/{link.assessment_id}/share?done=revoked")


@router.get("/shared/{secret}", name="shared_report_page", response_class=HTMLResponse)
def shared_report_page(request: Request, session: SessionDep, secret: str) -> Response:
    """The recipient's landing page: who shared what, until when, and the download button."""
    shared = sharing.open_shared_report(session=session, secret=secret)
    response = render_page(
        request,
        "reports/shared.html",
        shared=shared,
        pdf_url=str(request.url_for("shared_report_pdf", secret=secret)),
    )
    response.headers.update(PRIVATE_LINK_HEADERS)
    return response
