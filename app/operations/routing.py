"""The router every operations page hangs on: admin tools only."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.accounts.deps import get_admin_page_user


def admin_pages_router(prefix: str) -> APIRouter:
    """Pages hidden from the API schema whose every route is 404 for non-admins.

    The guard is router-wide, so a route added later cannot forget it.
    """
    return APIRouter(
        prefix=prefix,
        tags=["pages"],
        include_in_schema=False,
        dependencies=[Depends(get_admin_page_user)],
    )
