"""JSON shapes of the feedback API: requests and invitations, never an answer or a secret.

Limits (docs/feedback.md): at most ``MAX_INVITATIONS`` raters per request
and per call, messages of at most ``MESSAGE_MAX_LENGTH`` characters, email
addresses of at most 254.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.api_schemas import RowOut, from_row
from app.core.types import Version
from app.feedback.models import MAX_INVITATIONS, MESSAGE_MAX_LENGTH, FeedbackInvitation
from app.feedback.service import RaterIn, RequestState

Message = Annotated[str, Field(max_length=MESSAGE_MAX_LENGTH)]


class RaterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(max_length=254)]
    #: A key of ``STEPWISE_FEEDBACK_GROUPS`` (``GET`` a request to see them as ``groups``).
    group: Annotated[str, Field(max_length=32)]
    message: Message | None = None

    def to_service(self) -> RaterIn:
        return RaterIn(email=self.email, group=self.group, message=self.message)


Raters = Annotated[list[RaterCreate], Field(min_length=1, max_length=MAX_INVITATIONS)]


class FeedbackRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_date: date
    message: Message | None = None
    raters: Raters


class RatersAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Version | None = None
    raters: Raters


class InvitationOut(RowOut[FeedbackInvitation]):
    """One rater: address, group, progress (invited, started, submitted, cancelled)."""

    id: int
    email: str
    group: str
    status: str
    sent_at: datetime
    expires_at: datetime
    reminded_at: datetime | None
    version: int


class GroupOut(BaseModel):
    key: str
    label: str


class FeedbackRequestOut(BaseModel):
    id: int
    assessment_id: int
    status: str
    due_date: date
    message: str | None
    created_at: datetime
    closed_at: datetime | None
    version: int
    invitations: list[InvitationOut]
    #: The configured rater groups, for building an invitation.
    groups: list[GroupOut]

    @classmethod
    def of(cls, state: RequestState, groups: dict[str, str]) -> FeedbackRequestOut:
        return from_row(
            cls,
            state.request,
            id=state.id,
            invitations=[InvitationOut.of(i) for i in state.invitations],
            groups=[GroupOut(key=k, label=v) for k, v in groups.items()],
        )
