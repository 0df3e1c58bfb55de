"""The admin page of the audit trail: filters, pages of events, the filtered view as CSV.

Admins only (404 for everyone else, by the guard of :func:`app.accounts.deps.admin_pages_router`).
Reading the trail is not itself recorded: only admins can, and what they see
holds ids, codes and the names they may see anyway.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import admin_pages_router
from app.audit import reading
from app.audit.actions import Action
from app.core.deps import SessionDep
from app.core.pages import render_page
from app.core.pagination import AfterQuery
from app.operations.audit_filters import FILTER_NAMES, AuditFilterQuery, filter_query, names_of

router = admin_pages_router("/admin/audit")

PAGE_SIZE = 50


@router.get("", response_class=HTMLResponse)
def audit_page(
    request: Request, session: SessionDep, filters: AuditFilterQuery, after: AfterQuery = None
) -> Response:
    page = reading.list_events(session=session, filters=filters, after=after, limit=PAGE_SIZE)
    ids = {i for e in page.items for i in (e.actor_id, e.subject_user_id) if i is not None}
    query = filter_query(filters)
    return render_page(
        request,
        "operations/admin_audit.html",
        page=page,
        names=names_of(session=session, ids=ids),
        filters=filters,
        form={name: request.query_params.get(name, "") for name in FILTER_NAMES},
        actions=list(Action),
        base=f"/admin/audit?{query}" if query else "/admin/audit",
        csv_url=f"/admin/audit.csv?{query}" if query else "/admin/audit.csv",
    )


csv_router = admin_pages_router("/admin")


@csv_router.get("/audit.csv")
def audit_csv(session: SessionDep, filters: AuditFilterQuery) -> Response:
    """The filtered view (newest first, at most ``MAX_EXPORT_ROWS`` rows) as CSV."""
    names = names_of(session=session, ids=reading.people_of(session=session, filters=filters))
    content = "\ufeff" + reading.events_csv(session=session, filters=filters, names=names)
    return Response(
        content.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="audit-events.csv"',
            "Cache-Control": "no-store",
        },
    )
