"""JSON API: the assessment lifecycle, a participant's history, and stateless scoring.

Autosave protocol (docs/api.md has the full account with examples):

1. Every assessment response carries ``ETag: "<version>"`` and a ``version`` field.
2. A write (PATCH responses, submit, optionally DELETE) names the version it
   is based on: ``If-Match: "<version>"`` or ``"version": <n>`` in the body
   (both: they must agree; neither: 428).
3. A PATCH changes only the items it sends (``null`` clears one) and bumps the version.
4. A stale version gets 409 with ``current`` (the assessment as it is now) and
   its ``ETag``. The client overlays its unsaved answers onto
   ``current.responses``, and retries the PATCH with just those answers and
   ``current.version``. Answers saved from another tab are therefore kept,
   and nobody's answer is overwritten unseen.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response, status
from fastapi.concurrency import run_in_threadpool

from app.accounts.deps import CurrentUser
from app.assessments import role_service, service, upgrade_service
from app.assessments.models import Status
from app.assessments.schemas import (
    AssessmentCreate,
    AssessmentOut,
    AssessmentSummaryOut,
    ResponsesPatch,
    RoleChoice,
    ScoreIn,
    UpgradeIn,
    UpgradeOut,
    UpgradePreviewOut,
)
from app.assessments.state import AssessmentState
from app.core.deps import SessionDep, reads_locally, reads_only
from app.core.pagination import PageQuery
from app.core.types import Id
from app.core.versioning import (
    IfMatch,
    VersionedUpdate,
    VersionedWrite,
    parse_if_match,
    set_etag,
    versioned_responses,
)
from app.scoring import ScoringResult

router = APIRouter(prefix="/api/v1", tags=["assessments"])


def _out(state: AssessmentState, response: Response) -> AssessmentOut:
    set_etag(response, state.version)
    return AssessmentOut.of(state)


def _json(result: ScoringResult) -> Response:
    """Serialise a result in one step (pydantic-core), skipping FastAPI's re-validation."""
    return Response(content=result.model_dump_json(), media_type="application/json")


@router.post(
    "/assessments",
    response_model=AssessmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"description": "Unknown rubric_id or version"}},
)
def create_assessment(
    body: AssessmentCreate, session: SessionDep, user: CurrentUser, response: Response
) -> AssessmentOut:
    """Start a self-assessment of the caller, pinned to the rubric's current version."""
    state = service.create_assessment(
        session=session, user=user, rubric_id=body.rubric_id, version=body.version, title=body.title
    )
    response.headers["Location"] = f"/api/v1/assessments/{state.id}"
    return _out(state, response)


StatusQuery = Annotated[
    Status | None, Query(description="Only assessments in this state (in_progress, submitted)")
]


def _history_page(
    *, session: SessionDep, user: CurrentUser, participant_id: int, paging: PageQuery,
    status: Status | None,
) -> list[AssessmentSummaryOut]:  # fmt: skip
    page = service.page_assessments_for(
        session=session,
        user=user,
        participant_id=participant_id,
        after=paging.after,
        limit=paging.limit,
        status=status,
    )
    return paging.items(page, AssessmentSummaryOut.of)


@router.get("/assessments", response_model=list[AssessmentSummaryOut])
def list_my_assessments(
    session: SessionDep, user: CurrentUser, paging: PageQuery, status: StatusQuery = None
) -> list[AssessmentSummaryOut]:
    """The caller's own assessments, oldest first, with stored results; one page (the body
    stays a bare list, the next page is in the ``Link`` header)."""
    assert user.id is not None
    return _history_page(
        session=session, user=user, participant_id=user.id, paging=paging, status=status
    )


@router.get("/participants/{participant_id}/assessments", response_model=list[AssessmentSummaryOut])
def list_participant_assessments(
    participant_id: Id,
    session: SessionDep,
    user: CurrentUser,
    paging: PageQuery,
    status: StatusQuery = None,
) -> list[AssessmentSummaryOut]:
    """A participant's history for growth over time (owner, assigned coach, admin), one
    page like ``GET /assessments``."""
    return _history_page(
        session=session, user=user, participant_id=participant_id, paging=paging, status=status
    )


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
def get_assessment(
    assessment_id: Id, session: SessionDep, user: CurrentUser, response: Response
) -> AssessmentOut:
    """Resume: the answers saved so far, progress and the version (``ETag``) to save against."""
    state = service.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    return _out(state, response)


@router.patch(
    "/assessments/{assessment_id}/responses",
    response_model=AssessmentOut,
    responses=versioned_responses(
        conflict="Stale version or submitted; body.current is the current state",
        invalid="Bad answers, located at body.responses.<item id>",
    ),
)
def save_responses(
    assessment_id: Id,
    body: ResponsesPatch,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> AssessmentOut:
    """Autosave some answers: ``{"version": 3, "responses": {"pm-vs-1a": 4, "pm-vs-1b": "n/a",
    "pm-vs-2a": null}}``.

    Only the items sent change (``null`` clears an answer). On 409 merge your
    unsaved answers onto ``current`` and retry with ``current.version``.
    """
    state = service.save_responses(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expected_version=write.expected(body),
        responses=body.responses,
    )
    return write.answer(state.version, AssessmentOut.of(state))


@router.put(
    "/assessments/{assessment_id}/role",
    response_model=AssessmentOut,
    responses=versioned_responses(
        conflict="Stale version, or role_only changed after submission",
        invalid="No such role in the pinned rubric (body.role_id), or role_only without a role",
    ),
)
def choose_role(
    assessment_id: Id,
    body: RoleChoice,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> AssessmentOut:
    """Pick the role profile to compare against: ``{"version": 3, "role_id": "product-owner",
    "role_only": true}`` (participant or assigned coach).

    With ``role_only`` the questionnaire asks only the role's competencies.
    """
    state = role_service.choose_role(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expected_version=write.expected(body),
        role_id=body.role_id,
        role_only=body.role_only,
    )
    return write.answer(state.version, AssessmentOut.of(state))


@router.post(
    "/assessments/{assessment_id}/submit",
    response_model=AssessmentOut,
    responses=versioned_responses(
        conflict="Stale version or already submitted",
        invalid="Unanswered items, listed in errors and missing",
    ),
)
def submit_assessment(
    assessment_id: Id, session: SessionDep, user: CurrentUser, write: VersionedWrite
) -> AssessmentOut:
    """Submit a complete assessment: it is scored once, stored with the method, and frozen."""
    state = service.submit_assessment(
        session=session, user=user, assessment_id=assessment_id, expected_version=write.expected
    )
    return write.answer(state.version, AssessmentOut.of(state))


@router.get("/assessments/{assessment_id}/upgrade", response_model=UpgradePreviewOut)
def preview_upgrade(assessment_id: Id, session: SessionDep, user: CurrentUser) -> UpgradePreviewOut:
    """What moving to the rubric's current version would keep and ask anew, or
    ``status: "latest"`` (nothing newer) / ``"pinned"`` (submitted). Read-only."""
    preview = upgrade_service.preview_upgrade(
        session=session, user=user, assessment_id=assessment_id
    )
    return UpgradePreviewOut.model_validate(preview.document())


@router.post(
    "/assessments/{assessment_id}/upgrade",
    response_model=UpgradeOut,
    responses=versioned_responses(
        conflict="Stale version (body.current is the current state), submitted (pinned), "
        "or already on the current version",
        invalid="to_version is not the rubric's current version",
    ),
)
def upgrade_assessment(
    assessment_id: Id,
    body: UpgradeIn,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> UpgradeOut:
    """Move an in-progress assessment to the rubric's current version: ``{"version": 4}``.

    Answers to unchanged items are kept; the others are deleted and listed in
    ``plan.dropped``; ``plan.to_answer`` lists what to answer anew.
    """
    outcome = upgrade_service.upgrade_assessment(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expected_version=write.expected(body),
        to_version=body.to_version,
    )
    return write.answer(outcome.state.version, UpgradeOut.model_validate(outcome.document()))


@router.get(
    "/assessments/{assessment_id}/result",
    response_model=ScoringResult,
    responses={409: {"description": "Not submitted yet"}},
)
def get_result(assessment_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """The ScoringResult stored at submission (never recomputed)."""
    return _json(service.get_result(session=session, user=user, assessment_id=assessment_id))


@router.delete(
    "/assessments/{assessment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={409: {"description": "Submitted (kept for good), or If-Match is stale"}},
)
def delete_assessment(
    assessment_id: Id, session: SessionDep, user: CurrentUser, if_match: IfMatch = None
) -> None:
    """Discard an assessment in progress. ``If-Match`` is optional here."""
    service.delete_assessment(
        session=session,
        user=user,
        assessment_id=assessment_id,
        expected_version=parse_if_match(if_match),
    )


@router.post(
    "/score",
    response_model=ScoringResult,
    tags=["scoring"],
    responses={422: {"description": "Unknown rubric, unknown item ids or values off the scale"}},
)
@reads_only  # stateless: no write lock on SQLite (docs/benchmarks.md, tails)
async def score(body: ScoreIn, session: SessionDep, user: CurrentUser) -> Response:
    """Score answers without storing anything: ``{"rubric_id": "product-owner",
    "responses": {"pm-vs-1a": 4, ...}}`` (optional ``version``).

    Partial answers are fine: omitted items are unanswered, and ``answered``
    in the result says how many were given.

    Async: on SQLite the unit of work is read-only and local, so the rubric
    lookup and the ~0.2 ms of scoring run on the event loop instead of paying
    a thread-pool hop (docs/benchmarks.md); elsewhere they keep the hop.
    """
    work = partial(
        service.score_stateless,
        session=session,
        rubric_id=body.rubric_id,
        version=body.version,
        responses=body.responses,
    )
    document = work() if reads_locally(session) else await run_in_threadpool(work)
    # orjson: the same bytes as the typed model's JSON (tests/scoring/test_properties.py),
    # about a third of the time of pydantic-core's generic serialiser for plain data.
    return Response(content=orjson.dumps(document), media_type="application/json")
