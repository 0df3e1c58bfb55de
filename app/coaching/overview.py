"""The coach's overview: assigned participants, one participant's history, growth over time.

Read-only functions over assessments (through the assessments service) and
review sessions (through :mod:`.repository`). The coach home lists only the
caller's own assignments; a participant's page is for their assigned coach
or an admin; growth is for anyone who may view the participant (it uses
finalized, shared coach ratings only). Each runs a fixed number of
statements however many participants, assessments or sessions there are
(``tests/coaching/test_query_counts.py``).
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.accounts.service import coachees_scope, participants_page
from app.assessments import service as assessments
from app.assessments.state import AssessmentSummary
from app.coaching import access, repository
from app.coaching.calibration import GrowthSnapshot, growth_series
from app.coaching.plan import load_plan
from app.coaching.state import (
    Audience,
    CoacheeLine,
    GrowthView,
    ParticipantOverview,
    Person,
    ReviewRecord,
    ReviewSummary,
)
from app.core.pagination import Page, decode_cursor
from app.feedback.results import others_medians_of


def list_coachees(
    *, session: Session, user: User, after: str | None, limit: int
) -> Page[CoacheeLine]:
    """One page of the caller's assigned participants by name, with their latest assessment
    and open sessions (``after``: the cursor text of the previous page).

    Empty for someone with no assignments: the list is, by construction, only
    people this caller coaches.
    """
    assert user.id is not None
    cursor = decode_cursor(after, scope=coachees_scope(user.id))
    page = participants_page(session=session, coach_id=user.id, after=cursor, limit=limit)
    people = [Person.of(p) for p in page.items]
    ids = [p.id for p in people]
    history = assessments.history_of(session=session, participant_ids=ids)
    reviews: dict[int, list[ReviewRecord]] = {pid: [] for pid in ids}
    for row in repository.reviews_of(session, participant_ids=ids):
        reviews[row.participant_id].append(ReviewRecord.of(row))
    lines: list[CoacheeLine] = []
    for person in people:
        own = history[person.id]
        finals = [r for r in reviews[person.id] if r.is_final]
        lines.append(
            CoacheeLine(
                participant=person,
                latest=own[-1].assessment if own else None,
                assessments=len(own),
                in_progress=[r for r in reviews[person.id] if not r.is_final],
                last_final=finals[-1] if finals else None,
            )
        )
    return Page(items=lines, next_cursor=page.next_cursor)


def get_participant_overview(
    *, session: Session, user: User, participant_id: int
) -> ParticipantOverview:
    """The coach's page about one participant: assessments, sessions and growth."""
    policy.ensure_coach_of(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    participant = access.load_participant(session, participant_id)
    summaries = assessments.history_of(session=session, participant_ids=[participant_id])[
        participant_id
    ]
    by_id = {s.id: s.assessment for s in summaries}
    reviews = repository.reviews_of(session, participant_ids=[participant_id])
    coaches = access.people(session, *(r.coach_id for r in reviews))
    return ParticipantOverview(
        participant=participant,
        assessments=[s.assessment for s in summaries],
        reviews=[
            ReviewSummary(
                review=ReviewRecord.of(r),
                coach=coaches.get(r.coach_id) if r.coach_id is not None else None,
                assessment=by_id[r.assessment_id],
            )
            for r in reviews
        ],
        growth=_growth(session, participant, summaries),
        rubric_titles={s.rubric_version.id: s.rubric_version.title for s in summaries},
        plan=load_plan(session, participant_id=participant_id, audience=Audience.coach),
    )


def get_growth(*, session: Session, user: User, participant_id: int) -> GrowthView:
    """Per behavior, the self and (finalized) coach levels of each submitted assessment."""
    policy.ensure_can_view(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    participant = access.load_participant(session, participant_id)
    history = assessments.history_of(session=session, participant_ids=[participant_id])
    return _growth(session, participant, history[participant_id])


def _growth(
    session: Session, participant: Person, summaries: list[AssessmentSummary]
) -> GrowthView:
    """Two statements for any number of assessments: their latest finals, then the ratings."""
    submitted = [s for s in summaries if s.assessment.stored_result is not None]
    finals = repository.latest_finals(session, [s.id for s in submitted])
    ratings = repository.ratings_of_reviews(
        session, [r.id for r in finals.values() if r.id is not None]
    )
    others = others_medians_of(session=session, summaries=submitted)
    snapshots: list[GrowthSnapshot] = []
    for summary in submitted:
        result = summary.assessment.stored_result
        assert result is not None
        final = finals.get(summary.id)
        coach = ratings.get(final.id, {}) if final is not None and final.id is not None else {}
        behaviors = [b for c in result.competencies for b in c.behaviors]
        snapshots.append(
            GrowthSnapshot(
                assessment_id=summary.id,
                taken_at=summary.assessment.taken_at,
                self_levels={b.id: b.level for b in behaviors},
                coach_levels={bid: r.coach_level for bid, r in coach.items()},
                names={b.id: b.name for b in behaviors},
                others_medians={
                    bid: m for bid, m in others.get(summary.id, {}).items() if m is not None
                },
            )
        )
    return GrowthView(
        participant=participant,
        assessments=[s.assessment for s in submitted],
        behaviors=growth_series(snapshots),
        rubric=submitted[-1].rubric if submitted else None,
    )
