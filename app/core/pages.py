"""Helpers every domain's HTML pages share: form parsing, rendering, redirects.

Pages show personal data, so a rendered page is never kept in a shared or
back-forward cache; redirects after a post are 303 (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core import i18n
from app.core.exceptions import StepwiseError
from app.core.templating import get_templates


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as text fields (Starlette caches the parse for the CSRF check)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def render_page(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A personal page: never kept in a shared or back-forward cache (``no-store``)."""
    with i18n.rendering_in(i18n.locale_of_request(request)):  # macros see no request
        response: HTMLResponse = get_templates().TemplateResponse(
            request, template, context, status_code=status_code
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def done_flash(done: str | None, messages: Mapping[str, str]) -> dict[str, Any] | None:
    """The success notice a post/redirect/get's ``?done=<word>`` asks for.

    Only the page's own words show anything: the URL never puts text on the page.
    The words are translated when the page prints them (mark them with ``N_``).
    """
    message = messages.get(done or "")
    return {"kind": "success", "text": i18n.lazy_gettext(message)} if message else None


def form_errors(exc: StepwiseError) -> dict[str, str]:
    """``{"name": "must not be empty"}`` from a located 422 (``body.<field>``): each form
    field's first message, for the page that shows the refused form again."""
    found: dict[str, str] = {}
    for error in exc.errors or []:
        loc = error.get("loc") or []
        if len(loc) >= 2 and loc[0] == "body":
            found.setdefault(str(loc[1]), str(error.get("msg", "")))
    return found


def refused_form(exc: StepwiseError, *, prefix: str = "") -> dict[str, Any]:
    """The context that shows a refused form again: the refusal's status (``status_code``),
    its detail (``error``) and its located messages (``errors``, see :func:`form_errors`).

    ``prefix`` names the keys of a page that holds several forms (``cycle_`` gives
    ``cycle_error`` and ``cycle_errors``), so each form shows only its own refusal.
    """
    return {
        "status_code": exc.status_code,
        f"{prefix}errors": form_errors(exc),
        f"{prefix}error": exc.detail,
    }
