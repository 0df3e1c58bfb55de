"""Every query of the coaching domain, in one place.

Services (:mod:`app.coaching.service`, :mod:`.plan`, :mod:`.overview`,
:mod:`.report_inputs`) decide who may see what and call these. Assessments
and users are read through their domains' functions
(:func:`app.assessments.service.find_assessment`,
:func:`~app.assessments.service.history_of`,
:func:`app.accounts.service.users_by_ids`), never by querying their tables here.
Reads that serve lists take many ids and run one statement however many rows
they return (``tests/coaching/test_query_counts.py`` counts them).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, or_
from sqlalchemy import select as sql_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.coaching.models import (
    ActionStatus,
    CoachReview,
    PlanAction,
    PlanActionEvent,
    ReviewRating,
    ReviewStatus,
)
from app.coaching.reminder_models import PlanActionReminder, ReminderKind
from app.core.timeutils import utcnow

#: Plan actions still to do: reminders are for these.
OPEN_STATUSES = (ActionStatus.planned.value, ActionStatus.in_progress.value)


def get_review(session: Session, review_id: int, *, fresh: bool = False) -> CoachReview | None:
    return session.get(CoachReview, review_id, populate_existing=fresh)


def get_action(session: Session, action_id: int, *, fresh: bool = False) -> PlanAction | None:
    return session.get(PlanAction, action_id, populate_existing=fresh)


def ratings_of(session: Session, review_id: int) -> dict[str, ReviewRating]:
    return ratings_of_reviews(session, [review_id]).get(review_id, {})


def ratings_of_reviews(
    session: Session, review_ids: Collection[int]
) -> dict[int, dict[str, ReviewRating]]:
    """Ratings per review id, per behavior id, in one statement."""
    if not review_ids:
        return {}
    rows = session.exec(select(ReviewRating).where(col(ReviewRating.review_id).in_(review_ids)))
    found: dict[int, dict[str, ReviewRating]] = {}
    for row in rows:
        found.setdefault(row.review_id, {})[row.behavior_id] = row
    return found


def open_draft(session: Session, assessment_id: int) -> CoachReview | None:
    """The session in progress on an assessment (at most one, by a unique index)."""
    return session.exec(
        select(CoachReview).where(
            col(CoachReview.assessment_id) == assessment_id,
            col(CoachReview.status) == ReviewStatus.draft.value,
        )
    ).first()


def latest_finals(session: Session, assessment_ids: Collection[int]) -> dict[int, CoachReview]:
    """The newest finalized session of each assessment that has one, in one statement."""
    if not assessment_ids:
        return {}
    rows = session.exec(
        select(CoachReview)
        .where(
            col(CoachReview.assessment_id).in_(assessment_ids),
            col(CoachReview.status) == ReviewStatus.final.value,
        )
        .order_by(col(CoachReview.finalized_at).desc(), col(CoachReview.id).desc())
    )
    newest: dict[int, CoachReview] = {}
    for row in rows:
        newest.setdefault(row.assessment_id, row)
    return newest


def latest_final(session: Session, assessment_id: int) -> CoachReview | None:
    """The newest finalized session of an assessment, if any."""
    return latest_finals(session, [assessment_id]).get(assessment_id)


def reviews_of(
    session: Session,
    *,
    participant_ids: Collection[int] = (),
    assessment_id: int | None = None,
    final_only: bool = False,
) -> list[CoachReview]:
    """Sessions of some participants (or of one assessment), oldest first."""
    query = select(CoachReview)
    if participant_ids:
        query = query.where(col(CoachReview.participant_id).in_(participant_ids))
    if assessment_id is not None:
        query = query.where(col(CoachReview.assessment_id) == assessment_id)
    if not participant_ids and assessment_id is None:
        return []
    if final_only:
        query = query.where(col(CoachReview.status) == ReviewStatus.final.value)
    return list(session.exec(query.order_by(col(CoachReview.created_at), col(CoachReview.id))))


def plan_actions_of(session: Session, participant_id: int, *, final_only: bool) -> list[PlanAction]:
    """A participant's actions, oldest first; ``final_only``: agreed in finalized sessions."""
    query = (
        select(PlanAction)
        .join(CoachReview, col(CoachReview.id) == col(PlanAction.review_id))
        .where(col(PlanAction.participant_id) == participant_id)
        .order_by(col(PlanAction.created_at), col(PlanAction.id))
    )
    if final_only:
        query = query.where(col(CoachReview.status) == ReviewStatus.final.value)
    return list(session.exec(query))


def events_of(session: Session, action_ids: Collection[int]) -> list[PlanActionEvent]:
    """The history of some actions, oldest first, in one statement."""
    if not action_ids:
        return []
    return list(
        session.exec(
            select(PlanActionEvent)
            .where(col(PlanActionEvent.action_id).in_(action_ids))
            .order_by(col(PlanActionEvent.at), col(PlanActionEvent.id))
        )
    )


def actions_due_for_reminder(
    session: Session, *, today: date, days_before: int
) -> list[tuple[PlanAction, ReminderKind]]:
    """Open actions of finalized sessions owed a reminder not yet recorded, in one statement.

    ``due_soon`` when the due date is within ``days_before`` days (today
    included), ``overdue`` once it has passed. An action whose due date has
    already passed when first seen gets only the overdue reminder.
    """
    soon = today + timedelta(days=days_before)
    kind = case((col(PlanAction.due_date) < today, ReminderKind.overdue.value),
                else_=ReminderKind.due_soon.value)  # fmt: skip
    recorded = (
        select(PlanActionReminder.id)
        .where(
            col(PlanActionReminder.action_id) == col(PlanAction.id),
            col(PlanActionReminder.kind) == kind,
            col(PlanActionReminder.due_date) == col(PlanAction.due_date),
        )
        .exists()
    )
    rows = session.exec(
        select(PlanAction, kind)
        .join(CoachReview, col(CoachReview.id) == col(PlanAction.review_id))
        .where(
            col(CoachReview.status) == ReviewStatus.final.value,
            col(PlanAction.status).in_(OPEN_STATUSES),
            col(PlanAction.due_date).is_not(None),
            col(PlanAction.due_date) <= soon,
            ~recorded,
        )
        .order_by(col(PlanAction.due_date), col(PlanAction.id))
    ).all()
    return [(action, ReminderKind(found)) for action, found in rows]


def record_reminder(session: Session, *, action_id: int, kind: ReminderKind, due: date) -> bool:
    """Claim a reminder: True when this transaction's row is the one (send it), else False.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` on the unique key: a
    concurrent writer's insert waits for ours to commit and then inserts (and
    returns) nothing. RETURNING, not ``rowcount``: psycopg reports -1 there.
    """
    values = {"action_id": action_id, "kind": kind.value, "due_date": due, "sent_at": utcnow()}
    table = PlanActionReminder.__table__  # type: ignore[attr-defined]
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement: Any = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
    return session.execute(statement).first() is not None


def coach_levels() -> Select[Any]:
    """``(assessment_id, behavior_id, level)`` from the newest finalized session of each assessment.

    A statement, not rows, for the programmes domain to join and aggregate
    in the database; behaviors the coach left unrated have no row. "Newest"
    is a correlated ``NOT EXISTS`` (no later final session of the same
    assessment), which the database answers per joined assessment through
    the ``assessment_id`` index instead of ranking every review there is.
    """
    newer = aliased(CoachReview, name="newer_final")
    later = (
        sql_select(col(newer.id))
        .where(
            col(newer.assessment_id) == col(CoachReview.assessment_id),
            col(newer.status) == ReviewStatus.final.value,
            or_(
                col(newer.finalized_at) > col(CoachReview.finalized_at),
                and_(
                    col(newer.finalized_at) == col(CoachReview.finalized_at),
                    col(newer.id) > col(CoachReview.id),
                ),
            ),
        )
        .exists()
    )
    columns: list[Any] = [
        col(CoachReview.assessment_id).label("assessment_id"),
        col(ReviewRating.behavior_id).label("behavior_id"),
        col(ReviewRating.coach_level).label("level"),
    ]
    return (
        sql_select(*columns)
        .join(CoachReview, col(CoachReview.id) == col(ReviewRating.review_id))
        .where(
            col(CoachReview.status) == ReviewStatus.final.value,
            col(ReviewRating.coach_level).is_not(None),
            ~later,
        )
    )
