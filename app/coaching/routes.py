"""JSON API: coach review sessions, the development plan and growth over time.

Saving follows the questionnaire's protocol (docs/api.md): every review and
plan-action response carries ``ETag: "<version>"`` and a ``version`` field; a
write names the version it is based on (``If-Match`` or ``version`` in the
body); a stale one gets 409 with ``current`` and its ``ETag``.

Reviews come in two shapes: the coach's (``CoachReviewOut``, with private
notes) and the participant's (``SharedReviewOut``, which has no such field).
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.accounts.deps import CurrentUser
from app.coaching import overview, plan, service
from app.coaching.overview_schemas import CoacheeOut, GrowthOut
from app.coaching.schemas import (
    CoachReviewOut,
    PlanActionCreate,
    PlanActionOut,
    PlanActionPatch,
    PlanOut,
    ReviewPatch,
    ReviewSummaryOut,
    SharedReviewOut,
)
from app.coaching.state import Audience, ReviewState
from app.core.deps import SessionDep
from app.core.pagination import PageQuery
from app.core.types import Id
from app.core.versioning import VersionedUpdate, VersionedWrite, set_etag, versioned_responses

router = APIRouter(prefix="/api/v1", tags=["coaching"])

SAVE_RESPONSES = versioned_responses(
    conflict="Stale version or finalized; body.current is the current review",
    invalid="Bad values, located at body.ratings.<behavior>.<field>",
)


def _review(state: ReviewState, response: Response) -> CoachReviewOut | SharedReviewOut:
    set_etag(response, state.version)
    if state.audience is Audience.coach:
        return CoachReviewOut.of(state)
    return SharedReviewOut.of(state)


def _coach_review(state: ReviewState, response: Response) -> CoachReviewOut:
    set_etag(response, state.version)
    return CoachReviewOut.of(state)


@router.get("/coaching/participants", response_model=list[CoacheeOut])
def list_coachees(session: SessionDep, user: CurrentUser, paging: PageQuery) -> list[CoacheeOut]:
    """The caller's assigned participants by name, their latest assessment and sessions in
    progress; one page (a bare list, the next page in the ``Link`` header)."""
    page = overview.list_coachees(
        session=session, user=user, after=paging.after, limit=paging.limit
    )
    return paging.items(page, CoacheeOut.of)


@router.post(
    "/assessments/{assessment_id}/reviews",
    response_model=CoachReviewOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Not submitted, or a session is already in progress"}},
)
def start_review(
    assessment_id: Id, session: SessionDep, user: CurrentUser, response: Response
) -> CoachReviewOut:
    """Start a review session on a submitted assessment (assigned coach or admin)."""
    state = service.start_review(session=session, user=user, assessment_id=assessment_id)
    response.headers["Location"] = f"/api/v1/reviews/{state.id}"
    return _coach_review(state, response)


@router.get("/assessments/{assessment_id}/reviews", response_model=list[ReviewSummaryOut])
def list_reviews(
    assessment_id: Id, session: SessionDep, user: CurrentUser
) -> list[ReviewSummaryOut]:
    """An assessment's sessions; its participant sees the finalized ones."""
    return [
        ReviewSummaryOut.of(s)
        for s in service.list_reviews(session=session, user=user, assessment_id=assessment_id)
    ]


@router.get("/reviews/{review_id}", response_model=CoachReviewOut | SharedReviewOut)
def get_review(
    review_id: Id, session: SessionDep, user: CurrentUser, response: Response
) -> CoachReviewOut | SharedReviewOut:
    """A session: the coach's full view, or (finalized only) the participant's shared view."""
    return _review(service.get_review(session=session, user=user, review_id=review_id), response)


@router.patch("/reviews/{review_id}", response_model=CoachReviewOut, responses=SAVE_RESPONSES)
def save_review(
    review_id: Id,
    body: ReviewPatch,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> CoachReviewOut:
    """Autosave: ``{"version": 3, "ratings": {"vision-strategy": {"coach_level": 2,
    "target_level": 3}}, "shared_notes": "..."}``. Only what is sent changes."""
    state = service.save_review(
        session=session,
        user=user,
        review_id=review_id,
        expected_version=write.expected(body),
        shared_notes=body.shared_notes,
        private_notes=body.private_notes,
        ratings={bid: r.model_dump(exclude_unset=True) for bid, r in body.ratings.items()},
    )
    return write.answer(state.version, CoachReviewOut.of(state))


@router.post(
    "/reviews/{review_id}/finalize", response_model=CoachReviewOut, responses=SAVE_RESPONSES
)
def finalize_review(
    review_id: Id, session: SessionDep, user: CurrentUser, write: VersionedWrite
) -> CoachReviewOut:
    """Complete the session (every behavior rated): read-only, and shared with the participant."""
    state = service.finalize_review(
        session=session, user=user, review_id=review_id, expected_version=write.expected
    )
    return write.answer(state.version, CoachReviewOut.of(state))


@router.post(
    "/reviews/{review_id}/plan-actions",
    response_model=PlanActionOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "The session is finalized"}},
)
def add_plan_action(
    review_id: Id, body: PlanActionCreate, session: SessionDep, user: CurrentUser
) -> PlanActionOut:
    """Add an action, free (``title``) or from a rubric suggestion
    (``{"suggestion": {"behavior_id": "...", "level": "advanced", "index": 0}}``)."""
    entry = plan.add_plan_action(
        session=session,
        user=user,
        review_id=review_id,
        title=body.title,
        behavior_id=body.behavior_id,
        success_measure=body.success_measure,
        due_date=body.due_date,
        status=body.status,
        suggestion=body.suggestion.model_dump() if body.suggestion else None,
    )
    return PlanActionOut.of(entry)


@router.patch(
    "/plan-actions/{action_id}",
    response_model=PlanActionOut,
    responses={
        409: {"description": "Stale version; body.current is the current action"},
        422: {"description": "Bad values, or a participant changing more than the status"},
    },
)
def update_plan_action(
    action_id: Id,
    body: PlanActionPatch,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> PlanActionOut:
    """Change an action; the participant may change only ``status``. Recorded in history."""
    entry = plan.update_plan_action(
        session=session,
        user=user,
        action_id=action_id,
        expected_version=write.expected(body),
        changes=body.model_dump(exclude_unset=True, exclude={"version"}),
    )
    return write.answer(entry.action.version, PlanActionOut.of(entry))


@router.get("/participants/{participant_id}/plan", response_model=PlanOut)
def get_plan(participant_id: Id, session: SessionDep, user: CurrentUser) -> PlanOut:
    """The participant's development plan with each action's history."""
    entries = plan.get_plan(session=session, user=user, participant_id=participant_id)
    return PlanOut(participant_id=participant_id, actions=[PlanActionOut.of(e) for e in entries])


@router.get("/participants/{participant_id}/growth", response_model=GrowthOut)
def get_growth(participant_id: Id, session: SessionDep, user: CurrentUser) -> GrowthOut:
    """Per behavior, how the self and (finalized) coach levels moved between assessments."""
    return GrowthOut.of(
        overview.get_growth(session=session, user=user, participant_id=participant_id)
    )
