"""Feedback requests, one invitation per rater, and the raters' raw answers.

A request belongs to one assessment (at most one request each); every rater
gets an invitation row carrying their group and the SHA-256 of their link's
secret, never the secret. The raw answers live in their own two tables,
``feedback_answers`` (one row per behavior) and ``feedback_overall`` (keep
doing / start doing), read by one function only
(:func:`app.feedback.repository.load_rater_responses`), so listing
invitations (what the participant sees) never loads what anyone answered.

``version`` is the optimistic lock on the request (participant's changes:
close, invite) and on each invitation (the rater's saves), as everywhere
(:mod:`app.core.versioning`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Date, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.columns import (
    IdRow,
    id_reference,
    optional_timestamp,
    text_column,
    timestamp,
    timestamp_now,
)
from app.core.constraints import status_check, version_check

#: Longest text a rater may write in one comment (per behavior, keep / start doing).
COMMENT_MAX_LENGTH = 2000
#: Longest message a participant may write to raters (the request's, an invitation's).
MESSAGE_MAX_LENGTH = 1000
#: Most invitations one request may hold (cancelled ones included).
MAX_INVITATIONS = 50


class RequestStatus(StrEnum):
    open = "open"
    closed = "closed"


class InvitationStatus(StrEnum):
    #: Mailed; the rater has not saved anything yet.
    invited = "invited"
    #: The rater saved at least once and has not submitted.
    started = "started"
    #: Final: the answers count, the link can no longer change them.
    submitted = "submitted"
    #: The participant withdrew the invitation; the link is dead.
    cancelled = "cancelled"


class FeedbackRequest(IdRow, table=True):
    __tablename__ = "feedback_requests"
    __table_args__ = (
        status_check("feedback_requests", RequestStatus),
        version_check("feedback_requests"),
        UniqueConstraint("assessment_id", name="uq_feedback_requests_assessment"),
    )

    #: One request per assessment: more raters are invited into the same request.
    assessment_id: int = id_reference("assessments.id")
    #: Who opened it (participant, coach or admin); kept for the audit when they leave.
    created_by_id: int | None = id_reference("users.id", ondelete="SET NULL")
    status: str = Field(default=RequestStatus.open.value, max_length=16)
    #: The day raters are asked to answer by (reminders go before it).
    due_date: date = Field(sa_column=Column(Date, nullable=False))
    #: The participant's message to every rater; an invitation may carry its own.
    message: str | None = Field(default=None, max_length=MESSAGE_MAX_LENGTH)
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()
    closed_at: datetime | None = optional_timestamp()

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.open.value


class FeedbackInvitation(IdRow, table=True):
    """One rater: their address, group, link (hashed) and progress; never their answers."""

    __tablename__ = "feedback_invitations"
    __table_args__ = (
        status_check("feedback_invitations", InvitationStatus),
        version_check("feedback_invitations"),
    )

    request_id: int = id_reference("feedback_requests.id", index=True)
    #: Stored lower-cased; one live invitation per address and request.
    email: str = Field(max_length=254)
    #: A key of ``STEPWISE_FEEDBACK_GROUPS`` (``manager``, ``peers`` …).
    group: str = Field(sa_column=Column("rater_group", String(32), nullable=False))
    #: SHA-256 of the link's secret; replaced on resend, so the old link dies.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    expires_at: datetime = timestamp()
    status: str = Field(default=InvitationStatus.invited.value, max_length=16)
    #: A personal message to this rater (else the request's).
    message: str | None = Field(default=None, max_length=MESSAGE_MAX_LENGTH)
    #: When the before-the-due-date reminder was queued (once per invitation).
    reminded_at: datetime | None = optional_timestamp()
    sent_at: datetime = timestamp_now()
    version: int = Field(default=1)
    created_at: datetime = timestamp_now()
    updated_at: datetime = timestamp_now()

    @property
    def is_live(self) -> bool:
        """Still answerable through its link (expiry and the request's status aside)."""
        return self.status in (InvitationStatus.invited.value, InvitationStatus.started.value)


class FeedbackAnswer(SQLModel, table=True):
    """A rater's answer on one key behavior; an unanswered behavior has no row.

    ``level_index`` is 0-based in the rubric's ordered levels (0 = the lowest
    level, order 1); ``not_observed`` is the explicit "I have not seen this".
    Both empty is a row holding only a comment, saved before a pick.
    """

    __tablename__ = "feedback_answers"
    __table_args__ = (
        CheckConstraint(
            "NOT (not_observed AND level_index IS NOT NULL)",
            name="ck_feedback_answers_one_choice",
        ),
        CheckConstraint(
            "level_index IS NULL OR level_index >= 0", name="ck_feedback_answers_level"
        ),
    )

    invitation_id: int = id_reference("feedback_invitations.id", primary_key=True)
    behavior_id: str = Field(sa_column=Column(String(64), primary_key=True))
    level_index: int | None = Field(default=None)
    not_observed: bool = Field(default=False)
    comment: str | None = text_column(default=None)

    @property
    def is_answered(self) -> bool:
        return self.not_observed or self.level_index is not None


class FeedbackOverall(SQLModel, table=True):
    """A rater's overall comments: what the person should keep doing, start doing."""

    __tablename__ = "feedback_overall"

    invitation_id: int = id_reference("feedback_invitations.id", primary_key=True)
    keep_doing: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    start_doing: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
