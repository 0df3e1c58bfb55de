"""Assessment cycles: create, open (an assessment and a mail per member), remind, close.

Time is a parameter: every function that depends on the clock takes
``now``, so tests run a cycle's whole life without sleeping, and the
periodic job (:mod:`app.programmes.tasks`) passes the real time.

Status moves draft → open → closed through one conditional ``UPDATE``
(:func:`app.programmes.repository.claim_cycle_status`): when an admin and
the job, or two workers, open the same cycle at once, exactly one of them
creates the assessments and sends the mails. Reminders are claimed per
participation the same way (``reminded_at IS NULL``), so each member is
reminded at most once.

Late submissions: when the cycle accepts none, each assessment it opens
carries ``closes_at`` and the assessments domain refuses a submission after
it (409); this domain never reaches into that one's rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.accounts import policy
from app.accounts import service as accounts
from app.accounts.models import User
from app.assessments import service as assessments
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.pagination import Cursor, Page
from app.programmes import repository
from app.programmes.cohorts import checked_name, load_cohort
from app.programmes.models import MAX_REMINDER_DAYS, Cycle, CycleParticipation, CycleStatus
from app.programmes.notifications import mail_cycle_opened, mail_cycle_reminder
from app.rubrics.models import RubricVersion
from app.rubrics.service import get_rubric_version, get_rubric_version_by_pk

logger = logging.getLogger("stepwise.programmes")

#: Longest a cycle may stay open.
MAX_CYCLE_DAYS = 366


@dataclass(frozen=True)
class DueWork:
    """What one run of the periodic job did (for its log line and the tests)."""

    opened: list[int]
    reminded: int
    closed: list[int]


def _rubric(session: Session, rubric_id: str, version: str | None) -> RubricVersion:
    try:
        return get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    except NotFound:
        loc: list[str | int] = ["body", "rubric_version" if version else "rubric_id"]
        raise InvalidInput(
            N_("No such rubric"),
            errors=[field_error(loc, N_("no stored rubric (version) has this id"))],
        ) from None


def _check_dates(
    *, opens_at: datetime, closes_at: datetime, review_deadline: datetime | None, days: int
) -> None:
    errors = []
    if closes_at <= opens_at:
        errors.append(field_error(["body", "closes_at"], N_("must be after opens_at")))
    elif closes_at - opens_at > timedelta(days=MAX_CYCLE_DAYS):
        errors.append(
            field_error(["body", "closes_at"], f"at most {MAX_CYCLE_DAYS} days after opens_at")
        )
    if review_deadline is not None and review_deadline < closes_at:
        errors.append(field_error(["body", "review_deadline"], N_("must not be before closes_at")))
    if not 0 <= days <= MAX_REMINDER_DAYS:
        errors.append(
            field_error(["body", "reminder_days"], f"must be between 0 and {MAX_REMINDER_DAYS}")
        )
    if errors:
        raise InvalidInput(N_("Check the cycle's dates"), errors=errors)


def create_cycle(
    *,
    session: Session,
    actor: User,
    cohort_id: int,
    name: str,
    rubric_id: str,
    rubric_version: str | None,
    opens_at: datetime,
    closes_at: datetime,
    accept_late: bool = False,
    review_deadline: datetime | None = None,
    feedback_phase: bool = False,
    reminder_days: int = 3,
) -> Cycle:
    """A draft cycle: the job opens it at ``opens_at`` (or an admin earlier)."""
    policy.ensure_admin(user=actor)
    try:
        cohort = load_cohort(session=session, cohort_id=cohort_id)
    except NotFound:
        raise InvalidInput(
            N_("No such cohort"),
            errors=[field_error(["body", "cohort_id"], N_("no cohort has this id"))],
        ) from None
    checked = checked_name(name, loc=["body", "name"])
    _check_dates(
        opens_at=opens_at, closes_at=closes_at, review_deadline=review_deadline, days=reminder_days
    )
    pinned = _rubric(session, rubric_id, rubric_version)
    assert cohort.id is not None and pinned.id is not None
    cycle = Cycle(
        name=checked,
        cohort_id=cohort.id,
        rubric_version_id=pinned.id,
        opens_at=opens_at,
        closes_at=closes_at,
        accept_late=accept_late,
        review_deadline=review_deadline,
        feedback_phase=feedback_phase,
        reminder_days=reminder_days,
    )
    session.add(cycle)
    session.flush()
    logger.info("cycle %s created by user %s", cycle.id, actor.id)
    return cycle


def load_cycle(*, session: Session, cycle_id: int) -> Cycle:
    cycle = repository.get_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound("Cycle not found")
    return cycle


def get_cycle(*, session: Session, actor: User, cycle_id: int) -> Cycle:
    policy.ensure_admin(user=actor)
    return load_cycle(session=session, cycle_id=cycle_id)


def list_cycles(
    *, session: Session, actor: User, cohort_id: int | None, after: Cursor | None, limit: int
) -> Page[Cycle]:
    policy.ensure_admin(user=actor)
    return repository.list_cycles(session, cohort_id=cohort_id, after=after, limit=limit)


def rubric_version_of(*, session: Session, cycle: Cycle) -> RubricVersion:
    return get_rubric_version_by_pk(session=session, pk=cycle.rubric_version_id)


def _open(session: Session, cycle: Cycle, *, now: datetime) -> int:
    """Claim the cycle open and start every member's assessment; how many were invited."""
    assert cycle.id is not None
    if not repository.claim_cycle_status(
        session, cycle_id=cycle.id, expected=CycleStatus.draft, new=CycleStatus.open, now=now
    ):
        return -1
    session.refresh(cycle)
    pinned = rubric_version_of(session=session, cycle=cycle)
    members = repository.all_members(session, cohort_id=cycle.cohort_id)
    people = accounts.users_by_ids(session=session, ids={m.user_id for m in members})
    already = repository.participant_ids(session, cycle_id=cycle.id)
    invited = 0
    for member in members:
        user = people.get(member.user_id)
        if user is None or not user.is_active or member.user_id in already:
            continue
        state = assessments.create_assessment(
            session=session,
            user=user,
            rubric_id=pinned.rubric_id,
            version=pinned.version,
            title=cycle.name,
            closes_at=None if cycle.accept_late else cycle.closes_at,
        )
        session.add(
            CycleParticipation(
                cycle_id=cycle.id, user_id=member.user_id, assessment_id=state.id, invited_at=now
            )
        )
        mail_cycle_opened(session=session, member=user, cycle=cycle, assessment_id=state.id)
        invited += 1
    session.flush()
    logger.info("cycle %s opened: %s member(s) invited", cycle.id, invited)
    return invited


def open_cycle(*, session: Session, actor: User, cycle_id: int, now: datetime) -> Cycle:
    """Open a draft cycle now (before its ``opens_at``): 409 when it is not a draft."""
    cycle = get_cycle(session=session, actor=actor, cycle_id=cycle_id)
    if _open(session, cycle, now=now) < 0:
        raise Conflict(
            f"The cycle is {cycle.status}, not a draft: it cannot be opened again",
            errors=[field_error(["cycle", "status"], N_("is not draft"), "state")],
        )
    return cycle


def _close(session: Session, cycle: Cycle, *, now: datetime) -> bool:
    assert cycle.id is not None
    closed = repository.claim_cycle_status(
        session, cycle_id=cycle.id, expected=CycleStatus.open, new=CycleStatus.closed, now=now
    )
    if closed:
        session.refresh(cycle)
        logger.info("cycle %s closed", cycle.id)
    return closed


def close_cycle(*, session: Session, actor: User, cycle_id: int, now: datetime) -> Cycle:
    """Close an open cycle now (before its ``closes_at``): 409 when it is not open.

    Assessments of a cycle that accepts no late submissions keep the cycle's
    ``closes_at`` as their deadline, so closing early does not refuse them
    before that date; it ends the reminders and marks the cycle done.
    """
    cycle = get_cycle(session=session, actor=actor, cycle_id=cycle_id)
    if not _close(session, cycle, now=now):
        raise Conflict(
            f"The cycle is {cycle.status}, not open: it cannot be closed",
            errors=[field_error(["cycle", "status"], N_("is not open"), "state")],
        )
    return cycle


def _remind(session: Session, cycle: Cycle, *, now: datetime) -> int:
    """Remind each member who has not submitted, once, from ``reminder_days`` before close."""
    if cycle.reminder_days == 0 or now < cycle.closes_at - timedelta(days=cycle.reminder_days):
        return 0
    if now >= cycle.closes_at:
        return 0
    assert cycle.id is not None
    pending = repository.participations_to_remind(session, cycle_id=cycle.id)
    people = accounts.users_by_ids(session=session, ids={p.user_id for p in pending})
    sent = 0
    for participation in pending:
        user = people.get(participation.user_id)
        assert participation.id is not None
        if user is None or not user.is_active or participation.assessment_id is None:
            continue
        if not repository.claim_reminder(session, participation_id=participation.id, now=now):
            continue  # another worker's run got there first
        mail_cycle_reminder(
            session=session, member=user, cycle=cycle, assessment_id=participation.assessment_id
        )
        sent += 1
    return sent


def run_due_cycles(*, session: Session, now: datetime) -> DueWork:
    """Open the cycles whose ``opens_at`` passed, remind, close those whose ``closes_at`` did."""
    opened = [
        c.id
        for c in repository.cycles_due_to_open(session, now=now)
        if c.id is not None and _open(session, c, now=now) >= 0
    ]
    reminded = sum(_remind(session, c, now=now) for c in repository.open_cycles(session))
    closed = [
        c.id
        for c in repository.cycles_due_to_close(session, now=now)
        if c.id is not None and _close(session, c, now=now)
    ]
    session.flush()
    return DueWork(opened=opened, reminded=reminded, closed=closed)
