"""Every query of the feedback domain, in one place.

Raw answers (``feedback_answers``, ``feedback_overall``) are selected in
two places only, both here: :func:`load_rater_responses`, which gives the
aggregation every *submitted* rater's answers as anonymous
:class:`~app.feedback.responses.RaterResponse` values, and
:func:`draft_of`, which gives a rater back their own unsubmitted draft
through their link (so they can finish later). Nothing else reads them: the
participant's pages, the API and the exports list invitations, which hold
no answers.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackOverall,
    FeedbackRequest,
    InvitationStatus,
    RequestStatus,
)
from app.feedback.responses import RaterResponse

#: Invitations still waiting on their rater.
LIVE_STATUSES = (InvitationStatus.invited.value, InvitationStatus.started.value)


def load_rater_responses(session: Session, *, assessment_id: int) -> list[RaterResponse]:
    """Every submitted rater's answers for an assessment, anonymous and in no telling order.

    Only submitted invitations count (a draft, a cancelled invitation never
    does). The list is sorted by the invitation's token hash, a random value
    unrelated to who was invited when, so its order says nothing about who.
    Three statements however many raters.
    """
    return load_rater_responses_of(session, assessment_ids=[assessment_id]).get(assessment_id, [])


def load_rater_responses_of(
    session: Session, *, assessment_ids: Collection[int]
) -> dict[int, list[RaterResponse]]:
    """:func:`load_rater_responses` for several assessments (growth over time) at once.

    Three statements however many assessments and raters; an assessment
    without submitted raters is absent.
    """
    if not assessment_ids:
        return {}
    invitations = session.exec(
        select(
            FeedbackInvitation.id,
            FeedbackInvitation.group,
            FeedbackInvitation.token_hash,
            FeedbackRequest.assessment_id,
        )
        .join(FeedbackRequest, col(FeedbackRequest.id) == col(FeedbackInvitation.request_id))
        .where(
            col(FeedbackRequest.assessment_id).in_(list(assessment_ids)),
            col(FeedbackInvitation.status) == InvitationStatus.submitted.value,
        )
        .order_by(col(FeedbackInvitation.token_hash))
    ).all()
    if not invitations:
        return {}
    ids = [row[0] for row in invitations if row[0] is not None]
    levels: dict[int, dict[str, int | None]] = {i: {} for i in ids}
    comments: dict[int, dict[str, str]] = {i: {} for i in ids}
    for answer in session.exec(
        select(FeedbackAnswer).where(col(FeedbackAnswer.invitation_id).in_(ids))
    ):
        if answer.is_answered:
            levels[answer.invitation_id][answer.behavior_id] = (
                None if answer.not_observed else answer.level_index
            )
        if answer.comment and answer.comment.strip():
            comments[answer.invitation_id][answer.behavior_id] = answer.comment
    overall = {
        row.invitation_id: row
        for row in session.exec(
            select(FeedbackOverall).where(col(FeedbackOverall.invitation_id).in_(ids))
        )
    }
    responses: dict[int, list[RaterResponse]] = {}
    for invitation_id, group, _, assessment_id in invitations:
        if invitation_id is None:  # a primary key is never NULL; for the type checker
            continue
        general = overall.get(invitation_id)
        responses.setdefault(assessment_id, []).append(
            RaterResponse(
                group=group,
                levels=levels[invitation_id],
                comments=comments[invitation_id],
                keep_doing=general.keep_doing if general else "",
                start_doing=general.start_doing if general else "",
            )
        )
    return responses


# --- requests ------------------------------------------------------------------


def get_request(
    session: Session, request_id: int, *, fresh: bool = False
) -> FeedbackRequest | None:
    return session.get(FeedbackRequest, request_id, populate_existing=fresh)


def request_of_assessment(session: Session, *, assessment_id: int) -> FeedbackRequest | None:
    return session.exec(
        select(FeedbackRequest).where(col(FeedbackRequest.assessment_id) == assessment_id)
    ).first()


def requests_of_assessments(
    session: Session, *, assessment_ids: Collection[int]
) -> dict[int, FeedbackRequest]:
    """Requests by assessment id, one statement."""
    if not assessment_ids:
        return {}
    rows = session.exec(
        select(FeedbackRequest).where(col(FeedbackRequest.assessment_id).in_(assessment_ids))
    )
    return {row.assessment_id: row for row in rows}


# --- invitations ---------------------------------------------------------------


def invitations_of(session: Session, *, request_id: int) -> list[FeedbackInvitation]:
    """A request's invitations, oldest first (the participant's own list of whom they asked)."""
    return list(
        session.exec(
            select(FeedbackInvitation)
            .where(col(FeedbackInvitation.request_id) == request_id)
            .order_by(col(FeedbackInvitation.id))
        )
    )


def get_invitation(
    session: Session, invitation_id: int, *, fresh: bool = False
) -> FeedbackInvitation | None:
    return session.get(FeedbackInvitation, invitation_id, populate_existing=fresh)


def invitation_by_hash(session: Session, *, token_hash: str) -> FeedbackInvitation | None:
    return session.exec(
        select(FeedbackInvitation).where(col(FeedbackInvitation.token_hash) == token_hash)
    ).first()


def invitations_due_for_reminder(
    session: Session, *, today: date, days_before: int, now: datetime
) -> list[tuple[FeedbackInvitation, FeedbackRequest]]:
    """Live, unreminded, unexpired invitations of open requests due within ``days_before`` days.

    A request already past its due date gets no reminder: it is late, not
    coming up.
    """
    rows = session.exec(
        select(FeedbackInvitation, FeedbackRequest)
        .join(FeedbackRequest, col(FeedbackRequest.id) == col(FeedbackInvitation.request_id))
        .where(
            col(FeedbackRequest.status) == RequestStatus.open.value,
            col(FeedbackRequest.due_date) >= today,
            col(FeedbackRequest.due_date) <= today + timedelta(days=days_before),
            col(FeedbackInvitation.status).in_(LIVE_STATUSES),
            col(FeedbackInvitation.reminded_at).is_(None),
            col(FeedbackInvitation.expires_at) > now,
        )
        .order_by(col(FeedbackInvitation.id))
    ).all()
    return [(invitation, request) for invitation, request in rows]


# --- a rater's own draft -------------------------------------------------------


def draft_of(
    session: Session, *, invitation_id: int
) -> tuple[dict[str, FeedbackAnswer], FeedbackOverall | None]:
    """One rater's saved answers, for their own form while they have not submitted."""
    answers = {
        row.behavior_id: row
        for row in session.exec(
            select(FeedbackAnswer).where(col(FeedbackAnswer.invitation_id) == invitation_id)
        )
    }
    return answers, session.get(FeedbackOverall, invitation_id)


def drop_answers(session: Session, *, invitation_id: int, behavior_ids: Collection[str]) -> None:
    """Forget a rater's rows for these behaviors (both choice and comment cleared)."""
    if behavior_ids:
        session.execute(
            delete(FeedbackAnswer).where(
                col(FeedbackAnswer.invitation_id) == invitation_id,
                col(FeedbackAnswer.behavior_id).in_(list(behavior_ids)),
            )
        )


def invitations_to(session: Session, *, email: str) -> list[FeedbackInvitation]:
    """Every invitation ever sent to this address (for erasing a rater)."""
    statement = select(FeedbackInvitation).where(col(FeedbackInvitation.email) == email)
    return list(session.exec(statement.order_by(col(FeedbackInvitation.id))).all())


def drop_rater_texts(
    session: Session, *, invitation_ids: Collection[int], keep_levels: bool
) -> None:
    """Remove what raters wrote (comments, keep/start doing); with ``keep_levels`` their
    picked levels stay (submitted answers count in aggregates), else every answer goes."""
    ids = list(invitation_ids)
    if not ids:
        return
    session.execute(delete(FeedbackOverall).where(col(FeedbackOverall.invitation_id).in_(ids)))
    answers = col(FeedbackAnswer.invitation_id).in_(ids)
    if keep_levels:
        session.execute(update(FeedbackAnswer).where(answers).values(comment=None))
    else:
        session.execute(delete(FeedbackAnswer).where(answers))
