"""API shapes for accounts. Password hashes never appear in any of them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.accounts.admin import UserDetail
from app.accounts.invitations import IssuedInvitation
from app.accounts.models import Role, User
from app.core.api_schemas import RowOut, from_row


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class CsrfTokenOut(BaseModel):
    #: The token cookie-authenticated unsafe requests must send (``X-CSRF-Token``);
    #: ``None`` for a bearer-token caller, who needs none.
    csrf_token: str | None


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    roles: list[str]

    @classmethod
    def of(cls, user: User) -> UserOut:
        return from_row(cls, user, roles=sorted(user.role_set))


class UserRef(RowOut[User]):
    id: int
    email: str
    display_name: str


class UserDetailOut(UserOut):
    """A person as admins see them, with their coach assignments."""

    is_active: bool
    #: Invited, has not set a password yet.
    pending: bool
    created_at: datetime
    coaches: list[UserRef]
    participants: list[UserRef]

    @classmethod
    def of_detail(cls, detail: UserDetail) -> UserDetailOut:
        base = UserOut.of(detail.user)
        return cls(
            **base.model_dump(),
            is_active=detail.user.is_active,
            pending=detail.pending,
            created_at=detail.user.created_at,
            coaches=[UserRef.of(u) for u in detail.coaches],
            participants=[UserRef.of(u) for u in detail.participants],
        )


class UserCreate(BaseModel):
    """Without ``password`` the person is invited and the response carries the link."""

    email: str = Field(max_length=254)
    display_name: str | None = Field(default=None, max_length=120)
    roles: list[Role] = Field(min_length=1)
    password: str | None = Field(default=None, max_length=1024)


class UserUpdate(BaseModel):
    display_name: str | None = Field(default=None, max_length=120)
    roles: list[Role] | None = Field(default=None, min_length=1)
    is_active: bool | None = None


class InvitationCreate(BaseModel):
    email: str = Field(max_length=254)
    display_name: str | None = Field(default=None, max_length=120)
    roles: list[Role] = Field(min_length=1)


class InvitationOut(BaseModel):
    """The only time the link is shown: it is not stored, only its hash is."""

    user: UserOut
    url: str
    expires_at: datetime

    @classmethod
    def of(cls, issued: IssuedInvitation, *, base_url: str) -> InvitationOut:
        return cls(
            user=UserOut.of(issued.user),
            url=base_url.rstrip("/") + issued.path,
            expires_at=issued.invitation.expires_at,
        )


class UserCreated(BaseModel):
    user: UserOut
    invitation: InvitationOut | None = None


class InvitationAccept(BaseModel):
    password: str = Field(max_length=1024)
    display_name: str | None = Field(default=None, max_length=120)


class AssignmentIn(BaseModel):
    coach_id: int
    participant_id: int


class AssignmentOut(BaseModel):
    coach_id: int
    participant_id: int
    created_at: datetime
