"""API shapes for accounts. Password hashes never appear in any of them."""

from __future__ import annotations

from pydantic import BaseModel

from app.accounts.models import User


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    roles: list[str]

    @classmethod
    def of(cls, user: User) -> UserOut:
        assert user.id is not None
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            roles=sorted(user.role_set),
        )
