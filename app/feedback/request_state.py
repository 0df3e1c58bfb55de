"""A feedback request as its managers see it, and its JSON shape.

The state is the request row with its invitations (addresses, groups,
statuses: never a rater's answers or a link's secret). The documents are the
API's read shapes as plain data, so a conflict's ``current``
(:class:`app.core.versioning.VersionConflict`) is the same as a read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.feedback import repository
from app.feedback.models import FeedbackInvitation, FeedbackRequest, InvitationStatus


@dataclass(frozen=True, slots=True)
class RequestState:
    """A request as its managers see it: who was asked, in which group, how far they got."""

    request: FeedbackRequest
    invitations: list[FeedbackInvitation]
    participant_id: int
    assessment_id: int

    @property
    def id(self) -> int:
        assert self.request.id is not None
        return self.request.id

    @property
    def version(self) -> int:
        return self.request.version

    def count(self, status: InvitationStatus) -> int:
        return sum(1 for i in self.invitations if i.status == status.value)


def request_state(session: Session, row: FeedbackRequest, participant_id: int) -> RequestState:
    """The request with its invitations read now, oldest first."""
    assert row.id is not None
    return RequestState(
        request=row,
        invitations=repository.invitations_of(session, request_id=row.id),
        participant_id=participant_id,
        assessment_id=row.assessment_id,
    )


def invitation_document(invitation: FeedbackInvitation) -> dict[str, object]:
    """An invitation as every reader sees it: never a secret, never an answer."""
    return {
        "id": invitation.id,
        "email": invitation.email,
        "group": invitation.group,
        "status": invitation.status,
        "sent_at": invitation.sent_at,
        "expires_at": invitation.expires_at,
        "reminded_at": invitation.reminded_at,
        "version": invitation.version,
    }


def request_document(state: RequestState) -> dict[str, object]:
    """The request with its invitations, as the API reads it."""
    request = state.request
    return {
        "id": request.id,
        "assessment_id": request.assessment_id,
        "status": request.status,
        "due_date": request.due_date,
        "message": request.message,
        "created_at": request.created_at,
        "closed_at": request.closed_at,
        "version": request.version,
        "invitations": [invitation_document(i) for i in state.invitations],
    }
