"""Share links as people see them: the owner's overview and the recipient's landing page.

:mod:`app.reports.service` creates, lists and revokes links and serves the PDF
behind one; this module answers the two questions the pages ask around it:

* the owner's "Share your report" page: which assessment, is it submitted,
  and every link made so far (active, expired, revoked), newest first;
* the recipient's landing page: *who* shared the report, which framework and
  date it covers, and until when the link works. Nothing else of the owner's
  is shown (no email, no results: those are in the PDF they chose to share).

A link that is unknown, expired, revoked, or whose owner is deactivated is
one and the same 404 everywhere (:func:`valid_share_link`), so a recipient
cannot tell an expired link from a guessed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.accounts import policy
from app.accounts import service as accounts
from app.accounts.credentials import hash_secret
from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.state import AssessmentSummary
from app.audit.actions import Action, Target
from app.audit.service import record_event
from app.core.exceptions import NotFound
from app.core.timeutils import as_utc, utcnow
from app.reports import repository
from app.reports.models import ReportShareLink

WHAT = "Assessment"
INVALID_LINK = "Share link not found or no longer valid"
#: Longer "secrets" are not hashed at all: ours are 43 characters.
MAX_SECRET_LENGTH = 128


@dataclass(frozen=True, slots=True)
class ShareOverview:
    """The owner's share page: the assessment and its links, newest first."""

    assessment_id: int
    framework: str
    title: str | None
    submitted: bool
    links: Sequence[ReportShareLink]


@dataclass(frozen=True, slots=True)
class SharedReport:
    """What a recipient is told before downloading: who, what, until when."""

    link: ReportShareLink
    owner: User
    shared_by: str
    framework: str
    assessed_on: date | None

    @property
    def expires_at(self) -> datetime:
        return as_utc(self.link.expires_at)


def valid_share_link(*, session: Session, secret: str) -> tuple[ReportShareLink, User]:
    """The link behind a secret and its owner, if it still works; the one 404 otherwise."""
    link, _found, owner = _open(session, secret)
    return link, owner


def _open(session: Session, secret: str) -> tuple[ReportShareLink, AssessmentSummary, User]:
    if len(secret) > MAX_SECRET_LENGTH:
        raise NotFound(INVALID_LINK)
    link = repository.find_share_link(session=session, secret_hash=hash_secret(secret))
    if link is None or link.revoked_at is not None or as_utc(link.expires_at) <= utcnow():
        raise NotFound(INVALID_LINK)
    found = assessments.find_assessment(session=session, assessment_id=link.assessment_id)
    owner = accounts.get_user(session=session, user_id=found.assessment.participant_id)
    if not owner.is_active:
        raise NotFound(INVALID_LINK)
    record_event(
        session=session,
        actor_id=None,
        action=Action.share_link_opened,
        subject_user_id=owner.id,
        target_type=Target.share_link,
        target_id=link.id,
    )
    return link, found, owner


def get_share_overview(*, session: Session, user: User, assessment_id: int) -> ShareOverview:
    """The owner's links to one report; anyone else (coach, admin included) gets 404."""
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    policy.ensure_owner(user=user, participant_id=state.assessment.participant_id, what=WHAT)
    return ShareOverview(
        assessment_id=state.id,
        framework=state.rubric.title,
        title=state.assessment.title,
        submitted=state.assessment.is_submitted,
        links=repository.share_links_of(session=session, assessment_id=state.id),
    )


def open_shared_report(*, session: Session, secret: str) -> SharedReport:
    """The landing page's facts for a working link (no PDF is rendered here)."""
    link, found, owner = _open(session, secret)
    submitted_at = found.assessment.submitted_at
    return SharedReport(
        link=link,
        owner=owner,
        shared_by=owner.display_name,
        framework=found.rubric.title,
        assessed_on=as_utc(submitted_at).date() if submitted_at is not None else None,
    )
