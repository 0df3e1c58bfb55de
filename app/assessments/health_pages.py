"""The admin page of a rubric's health: ``/admin/rubrics/{rubric_id}/health``.

Admins only, router-wide (anyone else gets 404, an anonymous visitor the
sign-in page), like the other admin tools. The same report as ``stepwise
rubrics health`` and ``GET /api/v1/rubrics/{rubric_id}/health``
(docs/rubric-health.md), with the flags highlighted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import admin_pages_router
from app.assessments.health import MAX_RESPONDENTS, rubric_health_of
from app.core import i18n
from app.core.config import get_settings
from app.core.deps import SessionDep
from app.core.pages import render_page
from app.scoring.health import Flag

router = admin_pages_router("/admin/rubrics")


def flag_text(flag: Flag, locale: str) -> str:
    """A flag in ``locale``: its message translated, its threshold formatted there."""
    message = i18n.gettext(locale, flag.message)
    if flag.limit is None:
        return message
    if flag.percent:
        limit = i18n.format_percent_in(locale, flag.limit)
    else:
        limit = i18n.format_number_in(locale, flag.limit, 2)
    return message % {"limit": limit}


@router.get("/{rubric_id}/health", response_class=HTMLResponse)
def rubric_health_page(
    request: Request,
    session: SessionDep,
    rubric_id: Annotated[str, Path(max_length=64)],
    version: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    report = rubric_health_of(
        session=session, rubric_id=rubric_id, version=version, min_n=get_settings().health_min_n
    )
    return render_page(
        request,
        "assessments/rubric_health.html",
        report=report,
        max_respondents=MAX_RESPONDENTS,
        flag_text=flag_text,
    )
