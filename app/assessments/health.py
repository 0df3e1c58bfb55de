"""Rubric health over stored answers: the submitted assessments of one rubric version.

The figures come from the pure :mod:`app.scoring.health`; this module only
reads its input through the domain's repository. The report holds aggregates
and item ids, never a person or an assessment id, but it is an authoring tool
for admins, so :func:`rubric_health_for` answers 404 to anyone else
(docs/rubric-health.md).
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.assessments import repository
from app.rubrics.service import get_rubric_version, rubric_of
from app.scoring.health import RubricHealth, rubric_health

#: Newest submitted assessments read per report: enough for stable figures,
#: and a bound on the memory and time of one request (docs/rubric-health.md).
MAX_RESPONDENTS = 10_000


def rubric_health_of(
    *, session: Session, rubric_id: str, version: str | None = None, min_n: int
) -> RubricHealth:
    """The health of the named (or current) version over its submitted assessments.

    ``NotFound`` for an unknown rubric or version. Submitted answers were
    validated at submission, so they go to the engine as they are.
    """
    row = get_rubric_version(session=session, rubric_id=rubric_id, version=version)
    assert row.id is not None
    answers = repository.submitted_answers(session, row.id, limit=MAX_RESPONDENTS)
    return rubric_health(rubric_of(row), answers, min_n=min_n)


def rubric_health_for(
    *, session: Session, user: User, rubric_id: str, version: str | None = None, min_n: int
) -> RubricHealth:
    """:func:`rubric_health_of` for an admin; 404 for anyone else."""
    policy.ensure_admin(user=user)
    return rubric_health_of(session=session, rubric_id=rubric_id, version=version, min_n=min_n)
