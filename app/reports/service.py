"""Development reports: build, cache, render, and share them.

Access is the assessment's: :func:`app.assessments.service.get_assessment_for`
decides (owner, assigned coach, admin; everyone else 404), and only a
submitted assessment has a report (409 otherwise, like its result). Share
links and the CLI act *as the assessment's owner*, so they see exactly what
the owner would.

A report's PDF is rendered in the process pool (:mod:`app.reports.pool`)
and cached under a hash of its content (:mod:`app.reports.cache`); the hash
is also the ``ETag``. The PDF functions are ``async`` because they await the
pool; their database work is a handful of quick reads and one write.

Coach review and development plan: the coaching domain hands out plain,
participant-audience data (``app.coaching.report_inputs.coaching_for_report``)
and :mod:`app.reports.inputs` maps it onto the report's inputs in
:func:`_coaching_inputs`; an assessment without a finalized review gets a
self-assessment report.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.assessments.state import AssessmentState
from app.coaching.report_inputs import coaching_for_report
from app.core.config import get_settings
from app.core.exceptions import Conflict, NotFound
from app.core.timeutils import as_utc, utcnow
from app.reports.builder import build_report_data
from app.reports.cache import cache_key, load_cached, store_pdf
from app.reports.document import Paper, render_report_html
from app.reports.fetcher import assets_base_url
from app.reports.inputs import report_inputs
from app.reports.model import HistoryPoint, PlanActionInput, ReportData, ReviewInput
from app.reports.models import ReportShareLink
from app.reports.pool import render_pdf_async, render_pdf_in_pool
from app.reports.render import ASSETS_DIR

WHAT = "Assessment"
LINK = "Share link"
#: Longer "secrets" are not hashed at all: ours are 43 characters.
MAX_SECRET_LENGTH = 128
#: URL prefix of the bundled assets for the HTML preview (the app serves app/static there).
PREVIEW_ASSET_BASE = "/static/"


@dataclass(frozen=True, slots=True)
class PreparedReport:
    data: ReportData
    key: str
    assessment_id: int
    paper: Paper

    @property
    def filename(self) -> str:
        return f"stepwise-report-{self.assessment_id}-{self.data.assessed_on.isoformat()}.pdf"


@dataclass(frozen=True, slots=True)
class ReportPdf:
    """A PDF to send, or (``pdf is None``) "not modified" for a matching ``If-None-Match``."""

    key: str
    filename: str
    pdf: bytes | None
    from_cache: bool = False

    @property
    def etag(self) -> str:
        return f'"{self.key}"'


@dataclass(frozen=True, slots=True)
class CreatedShareLink:
    link: ReportShareLink
    #: Shown once, in the response that created the link; only its hash is stored.
    secret: str


# -- building -------------------------------------------------------------------------------


def _coaching_inputs(
    session: Session, state: AssessmentState
) -> tuple[ReviewInput | None, list[PlanActionInput]]:
    """The shared coach review and the agreed plan of an assessment (coaching's seam).

    Only a finalized review's shared parts come through: private coach notes
    have no field in the report's inputs at all.
    """
    coaching = coaching_for_report(session=session, assessment_id=state.id)
    return report_inputs(coaching, state.rubric)


def _history(session: Session, user: User, state: AssessmentState) -> list[HistoryPoint]:
    """The participant's earlier submitted assessments of the same rubric."""
    row = state.assessment
    assert row.submitted_at is not None
    points = []
    for summary in assessments.list_assessments_for(
        session=session, user=user, participant_id=row.participant_id
    ):
        earlier = summary.assessment
        if (
            earlier.id == row.id
            or not earlier.is_submitted
            or earlier.result is None
            or earlier.submitted_at is None
            or summary.rubric_version.rubric_id != state.rubric_version.rubric_id
            or as_utc(earlier.submitted_at) >= as_utc(row.submitted_at)
        ):
            continue
        stored = earlier.stored_result
        assert stored is not None
        points.append(
            HistoryPoint(
                assessed_on=as_utc(earlier.submitted_at).date(),
                competency_levels={c.id: c.level for c in stored.competencies},
            )
        )
    return points


def _prepare(session: Session, user: User, assessment_id: int, paper: Paper) -> PreparedReport:
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    row = state.assessment
    result = state.result
    if not row.is_submitted or result is None or row.submitted_at is None:
        raise Conflict(f"{WHAT} not submitted yet: it has no report", status=row.status)
    participant = session.get(User, row.participant_id)
    assert participant is not None  # a foreign key with ON DELETE CASCADE
    review, plan = _coaching_inputs(session, state)
    data = build_report_data(
        rubric=state.rubric,
        result=result,
        participant_name=participant.display_name,
        assessed_on=as_utc(row.submitted_at).date(),
        review=review,
        plan=plan,
        history=_history(session, user, state),
    )
    key = cache_key(data, rubric_hash=state.rubric_version.content_hash, paper=paper)
    return PreparedReport(data=data, key=key, assessment_id=state.id, paper=paper)


def _matches(if_none_match: str | None, key: str) -> bool:
    """``If-None-Match`` names this key (strong or weak) or is ``*``."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or f'"{key}"' in tags


def _cached(session: Session, prepared: PreparedReport) -> ReportPdf | None:
    pdf = load_cached(session=session, key=prepared.key, directory=get_settings().report_cache_dir)
    if pdf is None:
        return None
    return ReportPdf(prepared.key, prepared.filename, pdf, from_cache=True)


def _store(session: Session, prepared: PreparedReport, pdf: bytes) -> ReportPdf:
    store_pdf(
        session=session,
        key=prepared.key,
        assessment_id=prepared.assessment_id,
        paper=prepared.paper,
        pdf=pdf,
        directory=get_settings().report_cache_dir,
    )
    return ReportPdf(prepared.key, prepared.filename, pdf)


def _html(prepared: PreparedReport) -> str:
    return render_report_html(
        prepared.data, paper=prepared.paper, asset_base=assets_base_url(ASSETS_DIR)
    )


async def _pdf(session: Session, prepared: PreparedReport) -> ReportPdf:
    cached = _cached(session, prepared)
    if cached is not None:
        return cached
    return _store(session, prepared, await render_pdf_async(_html(prepared)))


# -- reading --------------------------------------------------------------------------------


async def get_report_pdf(
    *,
    session: Session,
    user: User,
    assessment_id: int,
    paper: Paper = "a4",
    if_none_match: str | None = None,
) -> ReportPdf:
    """The assessment's report as PDF: from the cache, or rendered and cached."""
    prepared = _prepare(session, user, assessment_id, paper)
    if _matches(if_none_match, prepared.key):
        return ReportPdf(prepared.key, prepared.filename, None)
    return await _pdf(session, prepared)


def get_report_html(
    *, session: Session, user: User, assessment_id: int, paper: Paper = "a4"
) -> str:
    """The same report as an HTML page (the PDF's template, with the app's /static/ assets)."""
    prepared = _prepare(session, user, assessment_id, paper)
    return render_report_html(prepared.data, paper=paper, asset_base=PREVIEW_ASSET_BASE)


def _system_reader(session: Session, assessment_id: int) -> User:
    """The owner of an assessment, for readers acting on their behalf (CLI, share links)."""
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"{WHAT} not found")
    owner = session.get(User, row.participant_id)
    assert owner is not None
    return owner


def export_report_pdf(*, session: Session, assessment_id: int, paper: Paper = "a4") -> ReportPdf:
    """For the CLI: any assessment's report (the operator has the database anyway)."""
    prepared = _prepare(session, _system_reader(session, assessment_id), assessment_id, paper)
    cached = _cached(session, prepared)
    if cached is not None:
        return cached
    return _store(session, prepared, render_pdf_in_pool(_html(prepared)))


# -- share links -----------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_share_link(
    *, session: Session, user: User, assessment_id: int, expires_in_days: int, paper: Paper = "a4"
) -> CreatedShareLink:
    """A new link to one report; only the owner may share, and only a submitted assessment."""
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    policy.ensure_owner(user=user, participant_id=state.assessment.participant_id, what=WHAT)
    if not state.assessment.is_submitted:
        raise Conflict(
            f"{WHAT} not submitted yet: it has no report", status=state.assessment.status
        )
    assert user.id is not None
    secret = secrets.token_urlsafe(32)  # 256 random bits
    link = ReportShareLink(
        assessment_id=state.id,
        created_by=user.id,
        secret_hash=_hash(secret),
        paper=paper,
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    session.add(link)
    session.flush()
    return CreatedShareLink(link=link, secret=secret)


def list_share_links(*, session: Session, user: User, assessment_id: int) -> list[ReportShareLink]:
    """The owner's links to this report, newest first, revoked and expired ones included."""
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    policy.ensure_owner(user=user, participant_id=state.assessment.participant_id, what=WHAT)
    return list(
        session.exec(
            select(ReportShareLink)
            .where(ReportShareLink.assessment_id == assessment_id)
            .order_by(col(ReportShareLink.created_at).desc(), col(ReportShareLink.id).desc())
        )
    )


def revoke_share_link(*, session: Session, user: User, link_id: int) -> ReportShareLink:
    """Stop a link from working (idempotent); only the report's owner may."""
    link = session.get(ReportShareLink, link_id)
    if link is None:
        raise NotFound(f"{LINK} not found")
    owner = _system_reader(session, link.assessment_id)
    policy.ensure_owner(user=user, participant_id=owner.id or 0, what=LINK)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        session.add(link)
        session.flush()
    return link


async def get_shared_report_pdf(*, session: Session, secret: str) -> ReportPdf:
    """The PDF behind a share link; unknown, expired and revoked links are all 404."""
    if len(secret) > MAX_SECRET_LENGTH:
        raise NotFound(f"{LINK} not found or no longer valid")
    link = session.exec(
        select(ReportShareLink).where(ReportShareLink.secret_hash == _hash(secret))
    ).first()
    if link is None or link.revoked_at is not None or as_utc(link.expires_at) <= utcnow():
        raise NotFound(f"{LINK} not found or no longer valid")
    owner = _system_reader(session, link.assessment_id)
    if not owner.is_active:
        raise NotFound(f"{LINK} not found or no longer valid")
    prepared = _prepare(session, owner, link.assessment_id, link.paper)  # type: ignore[arg-type]
    return await _pdf(session, prepared)
