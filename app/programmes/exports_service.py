"""Who may export a cohort's results, and the rows they get (each person in them audited).

Individual figures: an admin gets every member, a coach their own members of
the cohort; an aggregates-only viewer (programme lead) and anyone else 404.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import User
from app.audit.actions import Action, Target
from app.audit.service import record_events
from app.core.exceptions import NotFound
from app.programmes import exports_repository, repository
from app.programmes.exports import ResultRow
from app.programmes.insights import Audience
from app.programmes.insights_service import viewer_of
from app.rubrics.service import get_rubric_version_by_pk, rubric_of


def cohort_result_rows(
    *, session: Session, user: User, cohort_id: int
) -> tuple[str, list[ResultRow]]:
    """The cohort's name and its result rows as ``user`` may see them."""
    viewer = viewer_of(session=session, user=user, cohort_id=cohort_id)
    cohort = repository.get_cohort(session, cohort_id)
    if cohort is None or viewer.audience is Audience.aggregate:
        raise NotFound("Cohort not found")
    cycles = {c.id: c for c in repository.cycles_of_cohort(session, cohort_id=cohort_id)}
    results = exports_repository.cohort_results(
        session, cohort_id=cohort_id, coach_id=viewer.coach_id
    )
    people = accounts.users_by_ids(session=session, ids={r[1] for r in results})
    record_events(
        session=session,
        actor_id=user.id,
        action=Action.cohort_exported,
        subject_user_ids=people.keys(),
        target_type=Target.cohort,
        target_id=cohort_id,
    )
    rubrics = {}
    for cycle in cycles.values():
        if cycle.rubric_version_id not in rubrics:
            version = get_rubric_version_by_pk(session=session, pk=cycle.rubric_version_id)
            rubric = rubric_of(version)
            behaviors = {b.id: (c.id, b.name) for c in rubric.competencies for b in c.behaviors}
            rubrics[cycle.rubric_version_id] = (version.rubric_id, version.version, behaviors)
    rows: list[ResultRow] = []
    for cycle_id, user_id, behavior_id, self_level, coach_level in results:
        cycle = cycles[cycle_id]
        rubric_id, rubric_version, behaviors = rubrics[cycle.rubric_version_id]
        competency_id, behavior_name = behaviors.get(behavior_id, ("", behavior_id))
        person = people.get(user_id)
        rows.append(
            ResultRow(
                cohort=cohort.name,
                cycle=cycle.name,
                member_email=person.email if person else "",
                member_name=person.display_name if person else "",
                rubric_id=rubric_id,
                rubric_version=rubric_version,
                competency_id=competency_id,
                behavior_id=behavior_id,
                behavior_name=behavior_name,
                self_level=self_level,
                coach_level=coach_level,
            )
        )
    return cohort.name, rows
