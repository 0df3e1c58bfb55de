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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.accounts import policy
from app.accounts import service as accounts
from app.accounts.credentials import hash_secret, new_secret
from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.localized import localize
from app.assessments.result_page_models import build_role_view
from app.assessments.state import AssessmentState
from app.audit.actions import Action, Target
from app.audit.service import record_viewed
from app.coaching.report_inputs import coaching_for_report
from app.core.config import get_settings
from app.core.db import UnitOfWorkFactory
from app.core.exceptions import Conflict, NotFound
from app.core.i18n import locale_for
from app.core.timeutils import as_utc, utcnow
from app.feedback.results import feedback_results_of
from app.reports import repository
from app.reports.builder import build_report_data
from app.reports.cache import cache_key, forget_renders
from app.reports.delivery import PreparedReport, ReportPdf, deliver_pdf, deliver_pdf_now
from app.reports.document import Paper, render_report_html
from app.reports.feedback_part import report_feedback
from app.reports.inputs import report_inputs
from app.reports.model import HistoryPoint, PlanActionInput, ReportFeedback, ReviewInput
from app.reports.models import ReportShareLink
from app.reports.sharing import valid_share_link

WHAT = "Assessment"
LINK = "Share link"
#: URL prefix of the bundled assets for the HTML preview (the app serves app/static there).
PREVIEW_ASSET_BASE = "/static/"


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


def _feedback(
    session: Session, state: AssessmentState, review: ReviewInput | None
) -> ReportFeedback | None:
    """The shown feedback aggregates, beside the shared review's coach levels."""
    coach = {bid: b.level for bid, b in review.behaviors.items()} if review else None
    return report_feedback(feedback_results_of(session=session, state=state, coach_levels=coach))


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


def _prepare(
    session: Session,
    user: User,
    assessment_id: int,
    paper: Paper,
    action: Action = Action.report_downloaded,
) -> PreparedReport:
    """The report's data and cache key as ``user`` may see it.

    Someone other than the participant reading it (a coach, an admin) is
    recorded as ``action`` in the audit trail; the owner (and the readers
    acting for the owner: share links, the CLI, pre-rendering) is not.

    The report is the participant's document, so it is written in *their*
    language (``User.locale``, else ``STEPWISE_DEFAULT_LOCALE``) whoever reads
    it: a coach gets the pages the participant sees, and every reader shares
    one cached render (the locale is part of its key, so a participant who
    switches language gets a new render).
    """
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    row = state.assessment
    result = state.result
    if not row.is_submitted or result is None or row.submitted_at is None:
        raise Conflict(f"{WHAT} not submitted yet: it has no report", status=row.status)
    record_viewed(
        session=session,
        viewer_id=user.id,
        action=action,
        subject_user_id=row.participant_id,
        target_type=Target.assessment,
        target_id=state.id,
    )
    participant = accounts.get_user(session=session, user_id=row.participant_id)
    # The report is in the participant's language, whoever reads it; the translation's
    # hash joins the cache key (docs/rubric-format.md, Translations).
    state, translation_hash = localize(
        session=session, state=state, locale=locale_for(participant.locale)
    )
    review, plan = _coaching_inputs(session, state)
    roles = build_role_view(state, result)
    data = build_report_data(
        rubric=state.rubric,
        result=result,
        participant_name=participant.display_name,
        assessed_on=as_utc(row.submitted_at).date(),
        review=review,
        plan=plan,
        history=_history(session, user, state),
        feedback=_feedback(session, state, review),
        role_title=roles.role.title if roles.role else None,
        role_gaps=roles.gaps,
        not_assessed=roles.not_assessed,
        locale=locale_for(participant.locale),
    )
    rubric_hash = state.rubric_version.content_hash
    if translation_hash is not None:
        rubric_hash = f"{rubric_hash}+{translation_hash}"
    key = cache_key(data, rubric_hash=rubric_hash, paper=paper)
    return PreparedReport(data=data, key=key, assessment_id=state.id, paper=paper)


def _matches(if_none_match: str | None, key: str) -> bool:
    """``If-None-Match`` names this key (strong or weak) or is ``*``."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or f'"{key}"' in tags


# -- reading --------------------------------------------------------------------------------


async def get_report_pdf(
    *,
    session: Session,
    new_unit: UnitOfWorkFactory,
    user: User,
    assessment_id: int,
    paper: Paper = "a4",
    if_none_match: str | None = None,
) -> ReportPdf:
    """The assessment's report as PDF: from the cache, or rendered once and cached."""
    prepared = await run_in_threadpool(_prepare, session, user, assessment_id, paper)
    if _matches(if_none_match, prepared.key):
        return ReportPdf(prepared.key, prepared.filename, None)
    assert user.id is not None
    return await deliver_pdf(session=session, new_unit=new_unit, prepared=prepared, user_id=user.id)


def get_report_html(
    *, session: Session, user: User, assessment_id: int, paper: Paper = "a4"
) -> str:
    """The same report as an HTML page (the PDF's template, with the app's /static/ assets)."""
    prepared = _prepare(session, user, assessment_id, paper, Action.report_previewed)
    return render_report_html(prepared.data, paper=paper, asset_base=PREVIEW_ASSET_BASE)


def _system_reader(session: Session, assessment_id: int) -> User:
    """The owner of an assessment, for readers acting on their behalf (CLI, share links)."""
    found = assessments.find_assessment(session=session, assessment_id=assessment_id)
    return accounts.get_user(session=session, user_id=found.assessment.participant_id)


def export_report_pdf(*, session: Session, assessment_id: int, paper: Paper = "a4") -> ReportPdf:
    """For the CLI: any assessment's report (the operator has the database anyway)."""
    prepared = _prepare(session, _system_reader(session, assessment_id), assessment_id, paper)
    return deliver_pdf_now(session=session, prepared=prepared)


def prepare_owner_report(
    *, session: Session, assessment_id: int, paper: Paper = "a4"
) -> tuple[PreparedReport, int] | None:
    """The report the owner's first download will ask for, and the owner's id.

    For pre-rendering (:mod:`app.reports.prerender`): built exactly as
    :func:`get_report_pdf` builds it for the owner, so the cache key is the one
    that download computes. ``None`` when there is nothing to render any more
    (the assessment was deleted, or is not submitted).
    """
    try:
        owner = _system_reader(session, assessment_id)
        prepared = _prepare(session, owner, assessment_id, paper)
    except (NotFound, Conflict):
        return None
    assert owner.id is not None
    return prepared, owner.id


def forget_cached_reports(*, session: Session, assessment_ids: list[int]) -> int:
    """Delete the cached PDFs of assessments about to be deleted (erasure, retention).

    The rows would cascade with the assessments, but files in
    ``STEPWISE_REPORT_CACHE_DIR`` would not: this removes both.
    """
    directory = get_settings().report_cache_dir
    return forget_renders(session=session, assessment_ids=assessment_ids, directory=directory)


# -- share links -----------------------------------------------------------------------------


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
    secret = new_secret()  # 256 random bits; only its hash is stored
    link = repository.add_share_link(
        session=session,
        assessment_id=state.id,
        created_by=user.id,
        secret_hash=hash_secret(secret),
        paper=paper,
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    return CreatedShareLink(link=link, secret=secret)


def list_share_links(
    *, session: Session, user: User, assessment_id: int
) -> Sequence[ReportShareLink]:
    """The owner's links to this report, newest first, revoked and expired ones included."""
    state = assessments.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    policy.ensure_owner(user=user, participant_id=state.assessment.participant_id, what=WHAT)
    return repository.share_links_of(session=session, assessment_id=assessment_id)


def revoke_share_link(*, session: Session, user: User, link_id: int) -> ReportShareLink:
    """Stop a link from working (idempotent); only the report's owner may."""
    link = repository.get_share_link(session=session, link_id=link_id)
    if link is None:
        raise NotFound(f"{LINK} not found")
    owner = _system_reader(session, link.assessment_id)
    policy.ensure_owner(user=user, participant_id=owner.id or 0, what=LINK)
    if link.revoked_at is None:
        repository.mark_revoked(session=session, link=link, at=utcnow())
    return link


async def get_shared_report_pdf(
    *, session: Session, new_unit: UnitOfWorkFactory, secret: str
) -> ReportPdf:
    """The PDF behind a share link; unknown, expired and revoked links are all 404."""
    link, owner = valid_share_link(session=session, secret=secret)
    prepared = _prepare(session, owner, link.assessment_id, link.paper)  # type: ignore[arg-type]
    assert owner.id is not None
    return await deliver_pdf(
        session=session, new_unit=new_unit, prepared=prepared, user_id=owner.id
    )
