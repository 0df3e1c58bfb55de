"""The coach's overview: assigned participants, one participant's history, growth over time.

Read-only functions over assessments and review sessions. The coach home
lists only the caller's own assignments; a participant's page is for their
assigned coach or an admin; growth is for anyone who may view the
participant (it uses finalized, shared coach ratings only).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.accounts import policy
from app.accounts.models import User
from app.accounts.service import participants_of
from app.assessments.models import Assessment
from app.coaching import access
from app.coaching.calibration import GrowthSnapshot, growth_series
from app.coaching.models import CoachReview
from app.coaching.state import CoacheeLine, GrowthView, ParticipantOverview, ReviewSummary
from app.scoring import ScoringResult


def list_coachees(*, session: Session, user: User) -> list[CoacheeLine]:
    """The caller's assigned participants with their latest assessment and open sessions.

    Empty for someone with no assignments: the list is, by construction, only
    people this caller coaches.
    """
    assert user.id is not None
    lines: list[CoacheeLine] = []
    for person in participants_of(session=session, coach_id=user.id):
        assessments = _assessments_of(session, person.id or 0)
        reviews = list(
            session.exec(
                select(CoachReview)
                .where(col(CoachReview.participant_id) == person.id)
                .order_by(col(CoachReview.created_at), col(CoachReview.id))
            )
        )
        finals = [r for r in reviews if r.is_final]
        lines.append(
            CoacheeLine(
                participant=person,
                latest=assessments[-1] if assessments else None,
                assessments=len(assessments),
                in_progress=[r for r in reviews if not r.is_final],
                last_final=finals[-1] if finals else None,
            )
        )
    return lines


def _assessments_of(session: Session, participant_id: int) -> list[Assessment]:
    return list(
        session.exec(
            select(Assessment)
            .where(col(Assessment.participant_id) == participant_id)
            .order_by(col(Assessment.created_at), col(Assessment.id))
        )
    )


def get_participant_overview(
    *, session: Session, user: User, participant_id: int
) -> ParticipantOverview:
    """The coach's page about one participant: assessments, sessions and growth."""
    policy.ensure_coach_of(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    participant = access.load_participant(session, participant_id)
    assessments = _assessments_of(session, participant_id)
    by_id = {a.id: a for a in assessments}
    reviews = session.exec(
        select(CoachReview)
        .where(col(CoachReview.participant_id) == participant_id)
        .order_by(col(CoachReview.created_at), col(CoachReview.id))
    )
    summaries = [
        ReviewSummary(
            review=r,
            coach=session.get(User, r.coach_id) if r.coach_id else None,
            assessment=by_id[r.assessment_id],
        )
        for r in reviews
    ]
    return ParticipantOverview(
        participant=participant,
        assessments=assessments,
        reviews=summaries,
        growth=_growth(session, participant, assessments),
        rubric_titles={
            a.rubric_version_id: access.rubric_version_of(session, a).title for a in assessments
        },
    )


def get_growth(*, session: Session, user: User, participant_id: int) -> GrowthView:
    """Per behavior, the self and (finalized) coach levels of each submitted assessment."""
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    participant = access.load_participant(session, participant_id)
    return _growth(session, participant, _assessments_of(session, participant_id))


def _growth(session: Session, participant: User, assessments: list[Assessment]) -> GrowthView:
    submitted = [a for a in assessments if a.is_submitted and a.result is not None]
    snapshots: list[GrowthSnapshot] = []
    for assessment in submitted:
        assert assessment.id is not None and assessment.result is not None
        result = ScoringResult.model_validate(assessment.result)
        final = access.latest_final(session, assessment.id)
        ratings = access.ratings_of(session, final.id) if final and final.id else {}
        behaviors = [b for c in result.competencies for b in c.behaviors]
        snapshots.append(
            GrowthSnapshot(
                assessment_id=assessment.id,
                taken_at=assessment.submitted_at or assessment.created_at,
                self_levels={b.id: b.level for b in behaviors},
                coach_levels={bid: r.coach_level for bid, r in ratings.items()},
                names={b.id: b.name for b in behaviors},
            )
        )
    return GrowthView(
        participant=participant,
        assessments=submitted,
        behaviors=growth_series(snapshots),
        rubric=access.rubric_for(session, submitted[-1]) if submitted else None,
    )
