"""JSON API: tokens and the caller's own account."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from app.accounts import service
from app.accounts.auth import bearer_secret
from app.accounts.schemas import TokenOut, UserOut
from app.core.exceptions import Unauthorized
from app.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/token", response_model=TokenOut)
def create_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """OAuth2 password grant: email as ``username``."""
    user = service.authenticate(session=session, email=form.username, password=form.password)
    if user is None:
        raise Unauthorized("Incorrect email or password")
    ttl = timedelta(hours=settings.token_ttl_hours)
    secret, _ = service.issue_api_token(session=session, user=user, ttl=ttl)
    return TokenOut(access_token=secret, expires_in=int(ttl.total_seconds()))


@router.delete("/auth/token", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(request: Request, user: CurrentUser, session: SessionDep) -> None:
    """Revoke the token this request was made with."""
    secret = bearer_secret(request)
    if secret is not None:
        service.revoke_api_token(session=session, secret=secret)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return UserOut.of(user)
