"""A cycle's whole life with the clock in the test's hands: open, remind, close, late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.accounts import policy
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.core.exceptions import Conflict, InvalidInput, NotFound
from app.mail.models import MailMessage
from app.programmes import cycles, progress
from app.programmes.models import CycleStatus
from app.rubrics.service import rubric_of
from tests.fixtures.assessments import all_answers
from tests.fixtures.reviews import finalize_a_review
from tests.programmes.conftest import T0, Programme


def _mails(session: Session, kind: str) -> list[str]:
    return list(
        session.exec(
            select(MailMessage.to_address)
            .where(col(MailMessage.kind) == kind)
            .order_by(col(MailMessage.id))
        ).all()
    )


def test_a_cycle_opens_reminds_and_closes_on_its_dates(
    session: Session, programme: Programme
) -> None:
    cycle, members = programme.cycle, programme.members
    assert cycle.id is not None

    before = cycles.run_due_cycles(session=session, now=T0 - timedelta(minutes=1))
    assert before.opened == [] and _mails(session, "cycle_opened") == []

    opened = cycles.run_due_cycles(session=session, now=T0)
    assert opened.opened == [cycle.id]
    session.refresh(cycle)
    assert cycle.status == CycleStatus.open.value and cycle.opened_at == T0
    assert sorted(_mails(session, "cycle_opened")) == sorted(m.email for m in members)
    # Each member got an assessment of the pinned rubric, with the cycle's deadline,
    # that their coach may see through the one access policy.
    board = progress.cycle_dashboard(
        session=session, actor=programme.admin, cycle_id=cycle.id, after=None, limit=50
    )
    assert [m.stage for m in board.members] == ["invited"] * 3
    for row in board.members:
        assert row.assessment_id is not None
        stored = session.get(Assessment, row.assessment_id)
        assert stored is not None and stored.participant_id == row.user_id
        assert stored.closes_at == cycle.closes_at and stored.title == "March"
        assert policy.can_view_participant(
            session=session,
            user=programme.coach_b if row.user_id == members[2].id else programme.coach_a,
            participant_id=row.user_id,
        )
    # A second run (another worker, a retried job) opens nothing again.
    assert cycles.run_due_cycles(session=session, now=T0 + timedelta(minutes=10)).opened == []
    assert len(_mails(session, "cycle_opened")) == 3

    # Member 0 submits, member 1 starts, member 2 does nothing; coach A reviews member 0.
    ids = {row.user_id: row.assessment_id for row in board.members}
    first = assessments.get_own_assessment(
        session=session, user=members[0], assessment_id=ids[members[0].id]
    )
    answers = all_answers(first.rubric)
    saved = assessments.save_responses(
        session=session,
        user=members[0],
        assessment_id=first.id,
        expected_version=first.version,
        responses=answers,
    )
    assessments.submit_assessment(
        session=session,
        user=members[0],
        assessment_id=first.id,
        expected_version=saved.version,
        now=T0 + timedelta(days=1),
    )
    second = assessments.get_own_assessment(
        session=session, user=members[1], assessment_id=ids[members[1].id]
    )
    assessments.save_responses(
        session=session,
        user=members[1],
        assessment_id=second.id,
        expected_version=second.version,
        responses=dict(list(answers.items())[:1]),
    )
    finalize_a_review(
        session,
        programme.coach_a,
        first.id,
        shared_notes="Well done",
        private_notes="secret",
        action_title="Pair more",
    )

    board = progress.cycle_dashboard(
        session=session, actor=programme.admin, cycle_id=cycle.id, after=None, limit=50
    )
    stages = {row.user_id: row.stage for row in board.members}
    assert stages == {members[0].id: "reviewed", members[1].id: "started", members[2].id: "invited"}
    counts = {c.coach_id: c.counts for c in board.coaches}
    assert counts[programme.coach_a.id] == {
        "invited": 0,
        "started": 1,
        "submitted": 0,
        "reviewed": 1,
    }
    assert counts[programme.coach_b.id]["invited"] == 1

    # Reminders: not before reminder_days ahead of close; then once per member who
    # has not submitted, however often the job runs.
    assert cycles.run_due_cycles(session=session, now=T0 + timedelta(days=10)).reminded == 0
    assert cycles.run_due_cycles(session=session, now=T0 + timedelta(days=11)).reminded == 2
    assert cycles.run_due_cycles(session=session, now=T0 + timedelta(days=12)).reminded == 0
    assert sorted(_mails(session, "cycle_reminder")) == sorted([members[1].email, members[2].email])

    closed = cycles.run_due_cycles(session=session, now=T0 + timedelta(days=14))
    assert closed.closed == [cycle.id]
    session.refresh(cycle)
    assert cycle.status == CycleStatus.closed.value

    # Late: the cycle takes no late submissions, so member 1's submit is refused and
    # their answers stay.
    rest = assessments.get_own_assessment(
        session=session, user=members[1], assessment_id=ids[members[1].id]
    )
    saved = assessments.save_responses(
        session=session,
        user=members[1],
        assessment_id=rest.id,
        expected_version=rest.version,
        responses=answers,
    )
    with pytest.raises(Conflict) as late:
        assessments.submit_assessment(
            session=session,
            user=members[1],
            assessment_id=rest.id,
            expected_version=saved.version,
            now=T0 + timedelta(days=15),
        )
    assert late.value.errors == [
        {"loc": ["assessment", "closes_at"], "msg": "the cycle is closed", "type": "closed"}
    ]
    assert "late submissions" in late.value.detail
    kept = assessments.get_own_assessment(session=session, user=members[1], assessment_id=rest.id)
    assert kept.responses == saved.responses and kept.assessment.status != "submitted"


def test_a_cycle_that_accepts_late_submissions_takes_them(
    session: Session, programme: Programme
) -> None:
    cycle = programme.cycle
    cycle.accept_late = True
    session.add(cycle)
    assert cycle.id is not None
    cycles.run_due_cycles(session=session, now=T0)
    cycles.run_due_cycles(session=session, now=T0 + timedelta(days=20))
    board = progress.cycle_dashboard(
        session=session, actor=programme.admin, cycle_id=cycle.id, after=None, limit=1
    )
    assert board.next_cursor is not None and len(board.members) == 1
    member = programme.members[0]
    row = board.members[0]
    assert row.user_id == member.id and row.assessment_id is not None
    state = assessments.get_own_assessment(
        session=session, user=member, assessment_id=row.assessment_id
    )
    stored = session.get(Assessment, row.assessment_id)
    assert stored is not None and stored.closes_at is None
    saved = assessments.save_responses(
        session=session,
        user=member,
        assessment_id=state.id,
        expected_version=state.version,
        responses=all_answers(rubric_of(cycles.rubric_version_of(session=session, cycle=cycle))),
    )
    done = assessments.submit_assessment(
        session=session,
        user=member,
        assessment_id=state.id,
        expected_version=saved.version,
        now=T0 + timedelta(days=21),
    )
    assert done.assessment.status == "submitted"


def test_a_coach_sees_only_their_members_rows(session: Session, programme: Programme) -> None:
    cycle = programme.cycle
    assert cycle.id is not None
    cycles.open_cycle(session=session, actor=programme.admin, cycle_id=cycle.id, now=T0)
    mine = progress.cycle_dashboard(
        session=session, actor=programme.coach_b, cycle_id=cycle.id, after=None, limit=50
    )
    assert [row.user_id for row in mine.members] == [programme.members[2].id]
    assert [c.coach_id for c in mine.coaches] == [programme.coach_b.id]
    # A participant (a member, even) sees no dashboard: 404, as for no cycle at all.
    with pytest.raises(NotFound):
        progress.cycle_dashboard(
            session=session, actor=programme.members[0], cycle_id=cycle.id, after=None, limit=50
        )
    with pytest.raises(Conflict):
        cycles.open_cycle(session=session, actor=programme.admin, cycle_id=cycle.id, now=T0)


def test_bad_cycle_dates_are_located(session: Session, programme: Programme) -> None:
    assert programme.cohort.id is not None
    with pytest.raises(InvalidInput) as caught:
        cycles.create_cycle(
            session=session,
            actor=programme.admin,
            cohort_id=programme.cohort.id,
            name="x",
            rubric_id="mini",
            rubric_version=None,
            opens_at=T0,
            closes_at=T0,
            review_deadline=T0 - timedelta(days=1),
            reminder_days=99,
        )
    assert [e["loc"] for e in caught.value.errors or []] == [
        ["body", "closes_at"],
        ["body", "review_deadline"],
        ["body", "reminder_days"],
    ]
