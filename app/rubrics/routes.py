"""JSON API: the rubrics this server knows."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep
from app.rubrics import service
from app.rubrics.api_models import RubricDetail, RubricSummary

router = APIRouter(prefix="/api/v1/rubrics", tags=["rubrics"])


@router.get("", response_model=list[RubricSummary])
def list_rubrics(session: SessionDep, user: CurrentUser) -> list[RubricSummary]:
    return [RubricSummary.of(row) for row in service.list_current_rubrics(session=session)]


@router.get("/{rubric_id}", response_model=RubricDetail)
def get_rubric(
    rubric_id: str, session: SessionDep, user: CurrentUser, version: str | None = None
) -> RubricDetail:
    """The whole rubric: competencies, behaviors, levels, descriptors and items.

    Without ``version`` the current one; with it, any stored version.
    """
    row = service.get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    return RubricDetail.of(row)
