"""JSON API: the rubrics this server knows (any signed-in caller).

Rubrics sit below accounts in the layer order (docs/architecture.md), so this
module does not name the signed-in user: the composition root mounts the
router behind accounts' sign-in dependency (``app.main``,
``dependencies=[Depends(get_current_user)]``), which answers 401 to an
anonymous caller before any route here runs.
"""

from __future__ import annotations

from fastapi import APIRouter

from app.core.deps import SessionDep
from app.rubrics import service
from app.rubrics.api_models import RubricDetail, RubricSummary

router = APIRouter(prefix="/api/v1/rubrics", tags=["rubrics"])


@router.get("", response_model=list[RubricSummary])
def list_rubrics(session: SessionDep) -> list[RubricSummary]:
    return [RubricSummary.of(row) for row in service.list_current_rubrics(session=session)]


@router.get("/{rubric_id}", response_model=RubricDetail)
def get_rubric(rubric_id: str, session: SessionDep, version: str | None = None) -> RubricDetail:
    """The whole rubric: competencies, behaviors, levels, descriptors and items.

    Without ``version`` the current one; with it, any stored version.
    """
    row = service.get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    return RubricDetail.of(row)
