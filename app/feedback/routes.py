"""JSON API of feedback requests: create, read, invite more, resend, cancel, close.

For the participant, their assigned coach and admins (404 for anyone else).
No route here returns a rater's answers or a link's secret: a request is its
invitations' addresses, groups and statuses. Writes are versioned like every
other resource (``If-Match`` or ``version``; 409 with ``current`` when
stale): the request's version for invite and close, the invitation's for
resend and cancel. The aggregated results are a separate resource.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.accounts.deps import CurrentUser
from app.core.config import get_settings
from app.core.deps import SessionDep
from app.core.exceptions import NotFound
from app.core.types import Id
from app.core.versioning import VersionedUpdate, VersionedWrite, set_etag, versioned_responses
from app.feedback import service
from app.feedback.schemas import (
    FeedbackRequestCreate,
    FeedbackRequestOut,
    InvitationOut,
    RatersAdd,
)
from app.feedback.service import RequestState

router = APIRouter(prefix="/api/v1", tags=["feedback"])

REQUEST_WRITE = versioned_responses(
    conflict="Stale version, or the request is closed; body.current is the request",
    invalid="Bad raters, located at body.raters.<index>.<field>",
)
INVITATION_WRITE = versioned_responses(
    conflict="Stale version, or the invitation is submitted or cancelled; body.current is it",
    invalid="Bad version",
)


def _out(state: RequestState, response: Response) -> FeedbackRequestOut:
    set_etag(response, state.version)
    return FeedbackRequestOut.of(state, get_settings().feedback_group_labels)


@router.post(
    "/assessments/{assessment_id}/feedback-request",
    response_model=FeedbackRequestOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "The assessment already has a feedback request"}},
)
def create_request(
    assessment_id: Id,
    body: FeedbackRequestCreate,
    session: SessionDep,
    user: CurrentUser,
    response: Response,
) -> FeedbackRequestOut:
    """Open the assessment's feedback request and mail each rater their own link."""
    state = service.start_request(
        session=session,
        user=user,
        assessment_id=assessment_id,
        due_date=body.due_date,
        message=body.message,
        raters=[r.to_service() for r in body.raters],
    )
    response.headers["Location"] = f"/api/v1/feedback-requests/{state.id}"
    return _out(state, response)


@router.get("/assessments/{assessment_id}/feedback-request", response_model=FeedbackRequestOut)
def get_request_of_assessment(
    assessment_id: Id, session: SessionDep, user: CurrentUser, response: Response
) -> FeedbackRequestOut:
    """The assessment's request with each rater's status (404 when there is none)."""
    state = service.find_request_of(session=session, user=user, assessment_id=assessment_id)
    if state is None:
        raise NotFound("Feedback request not found")
    return _out(state, response)


@router.get("/feedback-requests/{request_id}", response_model=FeedbackRequestOut)
def get_request(
    request_id: Id, session: SessionDep, user: CurrentUser, response: Response
) -> FeedbackRequestOut:
    return _out(
        service.get_request_for(session=session, user=user, request_id=request_id), response
    )


@router.get("/feedback-requests/{request_id}/invitations", response_model=list[InvitationOut])
def list_invitations(request_id: Id, session: SessionDep, user: CurrentUser) -> list[InvitationOut]:
    """Who was invited, in which group, and how far they got; never what they answered."""
    state = service.get_request_for(session=session, user=user, request_id=request_id)
    return [InvitationOut.of(i) for i in state.invitations]


@router.post(
    "/feedback-requests/{request_id}/invitations",
    response_model=FeedbackRequestOut,
    responses=REQUEST_WRITE,
)
def add_invitations(
    request_id: Id,
    body: RatersAdd,
    session: SessionDep,
    user: CurrentUser,
    write: VersionedUpdate,
) -> FeedbackRequestOut:
    """Invite more raters into an open request (the request's version)."""
    state = service.invite_raters(
        session=session,
        user=user,
        request_id=request_id,
        expected_version=write.expected(body),
        raters=[r.to_service() for r in body.raters],
    )
    return _out(state, write.response)


@router.post(
    "/feedback-requests/{request_id}/close",
    response_model=FeedbackRequestOut,
    responses=REQUEST_WRITE,
)
def close_request(
    request_id: Id, session: SessionDep, user: CurrentUser, write: VersionedWrite
) -> FeedbackRequestOut:
    """Close early: links stop taking answers; submitted answers stay."""
    state = service.close_request(
        session=session, user=user, request_id=request_id, expected_version=write.expected
    )
    return _out(state, write.response)


@router.post(
    "/feedback-invitations/{invitation_id}/resend",
    response_model=InvitationOut,
    responses=INVITATION_WRITE,
)
def resend_invitation(
    invitation_id: Id, session: SessionDep, user: CurrentUser, write: VersionedWrite
) -> InvitationOut:
    """Mail a new link (the old one stops working)."""
    row = service.resend_invitation(
        session=session, user=user, invitation_id=invitation_id, expected_version=write.expected
    )
    return write.answer(row.version, InvitationOut.of(row))


@router.post(
    "/feedback-invitations/{invitation_id}/cancel",
    response_model=InvitationOut,
    responses=INVITATION_WRITE,
)
def cancel_invitation(
    invitation_id: Id, session: SessionDep, user: CurrentUser, write: VersionedWrite
) -> InvitationOut:
    """Withdraw an invitation that is not submitted: its link dies."""
    row = service.cancel_invitation(
        session=session, user=user, invitation_id=invitation_id, expected_version=write.expected
    )
    return write.answer(row.version, InvitationOut.of(row))
