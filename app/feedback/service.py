"""Feedback requests and their invitations, as the participant (or their coach, an admin) runs them.

Who may manage a request: whoever may see the assessment (the participant,
their assigned coach, an admin: :func:`app.accounts.policy.ensure_can_view`);
anyone else gets 404. Nothing here returns a rater's answers: a request's
state is its invitations' addresses, groups and statuses.

Every link carries :func:`app.accounts.credentials.new_secret` (256 random
bits); only its SHA-256 is stored. Resending gives the invitation a new
secret, so the old link dies. Mail is queued in the same transaction
(:mod:`app.feedback.notifications`), so a rolled-back request sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session, col

from app.accounts import policy
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import User
from app.accounts.service import get_user
from app.assessments import service as assessments
from app.core.config import get_settings
from app.core.exceptions import Conflict, NotFound
from app.core.timeutils import utcnow
from app.core.versioning import claim_version, conflict_of
from app.feedback import repository
from app.feedback.models import (
    MAX_INVITATIONS,
    FeedbackInvitation,
    FeedbackRequest,
    InvitationStatus,
    RequestStatus,
)
from app.feedback.notifications import mail_invitation
from app.feedback.request_input import RaterIn, check_due, clean_message, clean_raters
from app.feedback.request_state import (
    RequestState,
    invitation_document,
    request_document,
    request_state,
)

WHAT = "Feedback request"

# --- reading -------------------------------------------------------------------------


def _assessment_participant(session: Session, user: User, assessment_id: int) -> int:
    summary = assessments.find_assessment(session=session, assessment_id=assessment_id)
    participant_id = summary.assessment.participant_id
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Assessment"
    )
    return participant_id


def _managed(session: Session, user: User, request_id: int) -> RequestState:
    row = repository.get_request(session, request_id)
    if row is None:
        raise NotFound(f"{WHAT} not found")
    participant_id = _assessment_participant(session, user, row.assessment_id)
    return request_state(session, row, participant_id)


def get_request_for(*, session: Session, user: User, request_id: int) -> RequestState:
    """A request with its invitations, for the participant, their coach, an admin."""
    return _managed(session, user, request_id)


def find_request_of(*, session: Session, user: User, assessment_id: int) -> RequestState | None:
    """The assessment's request, if any (404 when the assessment is not the user's to see)."""
    participant_id = _assessment_participant(session, user, assessment_id)
    row = repository.request_of_assessment(session, assessment_id=assessment_id)
    return None if row is None else request_state(session, row, participant_id)


def _managed_invitation(
    session: Session, user: User, invitation_id: int
) -> tuple[RequestState, FeedbackInvitation]:
    invitation = repository.get_invitation(session, invitation_id)
    if invitation is None:
        raise NotFound("Invitation not found")
    try:
        state = _managed(session, user, invitation.request_id)
    except NotFound:
        raise NotFound("Invitation not found") from None
    return state, invitation


# --- changing ------------------------------------------------------------------------


def _request_conflict(session: Session, state: RequestState, expected: int | None) -> Exception:
    return conflict_of(
        repository.get_request(session, state.id, fresh=True),
        what="feedback request",
        expected=expected,
        retry="Apply your change",
        missing=f"{WHAT} not found",
        state=lambda row: request_state(session, row, state.participant_id),
        shown=request_document,
        closed=lambda row: (
            None if row.is_open else "This feedback request is closed: it takes no more changes."
        ),
    )


def _claim_request(session: Session, state: RequestState, expected: int) -> None:
    claim_version(
        session,
        state.request,
        expected=expected,
        conflict=lambda: _request_conflict(session, state, expected),
        conditions=(col(FeedbackRequest.status) == RequestStatus.open.value,),
    )


def _issue(
    session: Session, *, request: FeedbackRequest, rater: RaterIn, participant: User, now: datetime
) -> None:
    assert request.id is not None
    secret = new_secret()
    invitation = FeedbackInvitation(
        request_id=request.id,
        email=rater.email,
        group=rater.group,
        token_hash=hash_secret(secret),
        expires_at=now + timedelta(days=get_settings().feedback_link_days),
        message=rater.message,
        sent_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(invitation)
    session.flush()
    mail_invitation(
        session=session, invitation=invitation, request=request, participant=participant,
        secret=secret,
    )  # fmt: skip


def _checked_raters(
    session: Session, state: RequestState | None, participant: User, raters: Sequence[RaterIn]
) -> list[RaterIn]:
    """Validate before anything is written, so a refused invite leaves no trace."""
    invitations = state.invitations if state is not None else []
    return clean_raters(
        raters,
        taken={i.email for i in invitations if i.status != InvitationStatus.cancelled.value},
        participant_email=participant.email,
        room=MAX_INVITATIONS - len(invitations),
    )


def start_request(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    due_date: date,
    message: str | None,
    raters: Sequence[RaterIn],
) -> RequestState:
    """Open the assessment's feedback request and invite its first raters (409 if one exists)."""
    participant_id = _assessment_participant(session, user, assessment_id)
    now = utcnow()
    check_due(due_date, today=now.date())
    if repository.request_of_assessment(session, assessment_id=assessment_id) is not None:
        raise Conflict("This assessment already has a feedback request: invite more raters to it")
    participant = get_user(session=session, user_id=participant_id)
    message = clean_message(message, ["body", "message"])
    clean = _checked_raters(session, None, participant, raters)
    row = FeedbackRequest(
        assessment_id=assessment_id,
        created_by_id=user.id,
        due_date=due_date,
        message=message,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    for rater in clean:
        _issue(session, request=row, rater=rater, participant=participant, now=now)
    session.flush()
    return request_state(session, row, participant_id)


def invite_raters(
    *,
    session: Session,
    user: User,
    request_id: int,
    expected_version: int,
    raters: Sequence[RaterIn],
) -> RequestState:
    """Invite more raters into an open request."""
    state = _managed(session, user, request_id)
    participant = get_user(session=session, user_id=state.participant_id)
    clean = _checked_raters(session, state, participant, raters)
    _claim_request(session, state, expected_version)
    now = utcnow()
    for rater in clean:
        _issue(session, request=state.request, rater=rater, participant=participant, now=now)
    session.flush()
    return request_state(session, state.request, state.participant_id)


def close_request(
    *, session: Session, user: User, request_id: int, expected_version: int
) -> RequestState:
    """Close early: every link stops taking answers; what was submitted stays."""
    state = _managed(session, user, request_id)
    _claim_request(session, state, expected_version)
    now = utcnow()
    state.request.status = RequestStatus.closed.value
    state.request.closed_at = now
    session.add(state.request)
    session.flush()
    return request_state(session, state.request, state.participant_id)


def _invitation_conflict(
    session: Session, state: RequestState, invitation: FeedbackInvitation, expected: int
) -> Exception:
    return conflict_of(
        repository.get_invitation(session, invitation.id or 0, fresh=True),
        what="invitation",
        expected=expected,
        retry="Apply your change",
        missing="Invitation not found",
        state=lambda row: row,
        shown=invitation_document,
        closed=lambda row: (
            None
            if row.is_live
            else f"This invitation is {row.status}: it can no longer be changed."
        ),
    )


def _claim_invitation(
    session: Session, state: RequestState, invitation: FeedbackInvitation, expected: int
) -> None:
    if not state.request.is_open:
        raise _request_conflict(session, state, None)
    claim_version(
        session,
        invitation,
        expected=expected,
        conflict=lambda: _invitation_conflict(session, state, invitation, expected),
        conditions=(col(FeedbackInvitation.status).in_(repository.LIVE_STATUSES),),
    )


def resend_invitation(
    *, session: Session, user: User, invitation_id: int, expected_version: int
) -> FeedbackInvitation:
    """Mail the rater a new link (the old one stops working), valid for a fresh period."""
    state, invitation = _managed_invitation(session, user, invitation_id)
    _claim_invitation(session, state, invitation, expected_version)
    now = utcnow()
    secret = new_secret()
    invitation.token_hash = hash_secret(secret)
    invitation.expires_at = now + timedelta(days=get_settings().feedback_link_days)
    invitation.sent_at = now
    session.add(invitation)
    session.flush()
    participant = get_user(session=session, user_id=state.participant_id)
    mail_invitation(
        session=session,
        invitation=invitation,
        request=state.request,
        participant=participant,
        secret=secret,
    )
    return invitation


def cancel_invitation(
    *, session: Session, user: User, invitation_id: int, expected_version: int
) -> FeedbackInvitation:
    """Withdraw an invitation not yet submitted: its link dies, its draft is never counted."""
    state, invitation = _managed_invitation(session, user, invitation_id)
    _claim_invitation(session, state, invitation, expected_version)
    invitation.status = InvitationStatus.cancelled.value
    session.add(invitation)
    session.flush()
    return invitation
