"""JSON API of rubric health: ``GET /api/v1/rubrics/{rubric_id}/health`` (admins only).

The rubric routes themselves live in :mod:`app.rubrics.routes`, but the health
report reads submitted answers, so it is served from this domain, which may
read them (docs/rubric-health.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from app.accounts.deps import CurrentUser
from app.assessments.health import rubric_health_for
from app.core.config import get_settings
from app.core.deps import SessionDep

router = APIRouter(prefix="/api/v1/rubrics", tags=["rubrics"])


@router.get("/{rubric_id}/health")
def get_rubric_health(
    session: SessionDep,
    user: CurrentUser,
    rubric_id: Annotated[str, Path(max_length=64)],
    version: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    """Per behavior: alpha with n, corrected item-total correlations, Guttman breaks,
    floor and ceiling, items without variance, and the flags; figures are null
    below ``STEPWISE_HEALTH_MIN_N`` respondents."""
    report = rubric_health_for(
        session=session,
        user=user,
        rubric_id=rubric_id,
        version=version,
        min_n=get_settings().health_min_n,
    )
    return report.as_dict()
