"""API shapes for report share links."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.api_schemas import from_row
from app.core.timeutils import as_utc, utcnow
from app.reports.models import ReportShareLink

#: Share links live at most this long; a participant can always make a new one.
MAX_SHARE_DAYS = 90


class ShareLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_in_days: int = Field(default=14, ge=1, le=MAX_SHARE_DAYS)
    paper: Literal["a4", "letter"] = "a4"


class ShareLinkOut(BaseModel):
    id: int
    assessment_id: int
    paper: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    status: Literal["active", "expired", "revoked"]

    @classmethod
    def of(cls, link: ReportShareLink) -> ShareLinkOut:
        assert link.id is not None
        if link.revoked_at is not None:
            status: Literal["active", "expired", "revoked"] = "revoked"
        elif as_utc(link.expires_at) <= utcnow():
            status = "expired"
        else:
            status = "active"
        return from_row(cls, link, status=status)


class CreatedShareLinkOut(ShareLinkOut):
    """Returned once, when the link is made: the only time its secret URL is shown."""

    url: str
