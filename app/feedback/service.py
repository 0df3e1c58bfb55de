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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col

from app.accounts import policy
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import User
from app.accounts.service import get_user, normalize_email
from app.assessments import service as assessments
from app.core.config import get_settings
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.timeutils import utcnow
from app.core.versioning import VersionConflict, claim_version, stale_detail
from app.feedback import repository
from app.feedback.models import (
    MAX_INVITATIONS,
    MESSAGE_MAX_LENGTH,
    FeedbackInvitation,
    FeedbackRequest,
    InvitationStatus,
    RequestStatus,
)
from app.feedback.notifications import mail_invitation

WHAT = "Feedback request"
#: The latest due date one may set, in days from today.
MAX_DUE_DAYS = 180
#: A plausible address: something@something.tld, no spaces (the mail server has the last word).
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class RaterIn:
    """One rater to invite: address, group key, an optional personal message."""

    email: str
    group: str
    message: str | None = None


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


# --- reading -------------------------------------------------------------------------


def _assessment_participant(session: Session, user: User, assessment_id: int) -> int:
    summary = assessments.find_assessment(session=session, assessment_id=assessment_id)
    participant_id = summary.assessment.participant_id
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Assessment"
    )
    return participant_id


def _state(session: Session, row: FeedbackRequest, participant_id: int) -> RequestState:
    assert row.id is not None
    return RequestState(
        request=row,
        invitations=repository.invitations_of(session, request_id=row.id),
        participant_id=participant_id,
        assessment_id=row.assessment_id,
    )


def _managed(session: Session, user: User, request_id: int) -> RequestState:
    row = repository.get_request(session, request_id)
    if row is None:
        raise NotFound(f"{WHAT} not found")
    participant_id = _assessment_participant(session, user, row.assessment_id)
    return _state(session, row, participant_id)


def get_request_for(*, session: Session, user: User, request_id: int) -> RequestState:
    """A request with its invitations, for the participant, their coach, an admin."""
    return _managed(session, user, request_id)


def find_request_of(*, session: Session, user: User, assessment_id: int) -> RequestState | None:
    """The assessment's request, if any (404 when the assessment is not the user's to see)."""
    participant_id = _assessment_participant(session, user, assessment_id)
    row = repository.request_of_assessment(session, assessment_id=assessment_id)
    return None if row is None else _state(session, row, participant_id)


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


# --- validating ------------------------------------------------------------------------


def _clean_message(value: str | None, loc: list[str | int]) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            N_("The message is too long"),
            errors=[field_error(loc, f"at most {MESSAGE_MAX_LENGTH} characters")],
        )
    return text


def _check_due(due: date, *, today: date) -> None:
    if not today <= due <= today + timedelta(days=MAX_DUE_DAYS):
        raise InvalidInput(
            N_("The due date must be between today and 180 days from now"),
            errors=[
                field_error(
                    ["body", "due_date"], f"must be between today and {MAX_DUE_DAYS} days ahead"
                )
            ],
        )


def _clean_raters(
    raters: Sequence[RaterIn], *, taken: set[str], participant_email: str, room: int
) -> list[RaterIn]:
    """Normalised raters, or one 422 locating every bad field (never echoing a value)."""
    groups = get_settings().feedback_group_labels
    errors: list[dict[str, object]] = []
    if not raters:
        errors.append(field_error(["body", "raters"], "invite at least one rater"))
    if len(raters) > room:
        errors.append(
            field_error(
                ["body", "raters"],
                f"at most {MAX_INVITATIONS} invitations per request ({room} left)",
            )
        )
    clean: list[RaterIn] = []
    seen = set(taken)
    for index, rater in enumerate(raters):
        loc: list[str | int] = ["body", "raters", index]
        email = normalize_email(rater.email or "")
        if len(email) > 254 or not _EMAIL.match(email):
            errors.append(field_error([*loc, "email"], N_("is not an email address")))
        elif email == participant_email:
            errors.append(field_error([*loc, "email"], N_("is the participant's own address")))
        elif email in seen:
            errors.append(field_error([*loc, "email"], N_("is already invited to this request")))
        seen.add(email)
        if rater.group not in groups:
            errors.append(field_error([*loc, "group"], "must be one of: " + ", ".join(groups)))
        try:
            message = _clean_message(rater.message, [*loc, "message"])
        except InvalidInput as bad:
            errors.extend(bad.errors or [])
            message = None
        clean.append(RaterIn(email=email, group=rater.group, message=message))
    if errors:
        raise InvalidInput(N_("Some raters could not be invited"), errors=errors)
    return clean


# --- changing ------------------------------------------------------------------------


def _request_conflict(session: Session, state: RequestState, expected: int | None) -> Exception:
    row = repository.get_request(session, state.id, fresh=True)
    if row is None:
        return NotFound(f"{WHAT} not found")
    fresh = _state(session, row, state.participant_id)
    if not row.is_open:
        detail = "This feedback request is closed: it takes no more changes."
    else:
        detail = stale_detail("feedback request", expected, row.version, "Apply your change")
    return VersionConflict(
        detail, version=row.version, current=request_document(fresh), state=fresh
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
    return _clean_raters(
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
    _check_due(due_date, today=now.date())
    if repository.request_of_assessment(session, assessment_id=assessment_id) is not None:
        raise Conflict("This assessment already has a feedback request: invite more raters to it")
    participant = get_user(session=session, user_id=participant_id)
    message = _clean_message(message, ["body", "message"])
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
    return _state(session, row, participant_id)


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
    return _state(session, state.request, state.participant_id)


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
    return _state(session, state.request, state.participant_id)


def _invitation_conflict(
    session: Session, state: RequestState, invitation: FeedbackInvitation, expected: int
) -> Exception:
    fresh = repository.get_invitation(session, invitation.id or 0, fresh=True)
    if fresh is None:
        return NotFound("Invitation not found")
    if not fresh.is_live:
        detail = f"This invitation is {fresh.status}: it can no longer be changed."
    else:
        detail = stale_detail("invitation", expected, fresh.version, "Apply your change")
    return VersionConflict(
        detail, version=fresh.version, current=invitation_document(fresh), state=fresh
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


# --- shapes for conflicts (the API's read shapes, as plain data) --------------------------


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
