"""Scale data for benchmarks and demos: N participants, a cohort, a closed and an open cycle.

``stepwise demo seed --participants N [--coaches M]`` fills a database with
N participants (and M coaches, each assigned a share of them) in one cohort
with two cycles over one rubric: a *closed* cycle in which every
participant submitted an assessment and their coach finalized a review
(a level per behavior), and an *open* cycle in which about half have
submitted, a quarter have started and the rest are invited.

Answers are random but seeded (``--seed``): each participant gets a level
per behavior and answers the items up to it high and the ones above low, so
the results spread over the levels the way a real group's do. Scores come
from the real engine (:func:`app.scoring.score_responses`).

For speed this module writes rows in bulk (``INSERT`` of many rows per
statement, a few thousand rows per round trip) instead of calling each
domain's services per person: 2,000 participants take seconds, not
minutes. It is the one writer of other domains' tables outside them, and
it writes only into an empty-of-its-own-emails database: the emails are
``seed-participant-<n>@example.test`` and a second run with the same N
refuses (409) rather than duplicating. It publishes no events (nothing is
mailed, no report is pre-rendered).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import CoachAssignment, User
from app.accounts.passwords import hash_password
from app.assessments.models import Assessment, AssessmentResponse, Status
from app.coaching.models import CoachReview, ReviewRating, ReviewStatus
from app.core.exceptions import Conflict, InvalidInput, field_error
from app.programmes.models import Cohort, CohortMember, Cycle, CycleParticipation, CycleStatus
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import ItemRef, Rubric
from app.rubrics.service import get_rubric_version, rubric_of
from app.scoring import score_responses

#: Most participants one run seeds.
MAX_PARTICIPANTS = 20_000
#: Rows per INSERT statement (well under SQLite's 32,766 bound parameters).
BATCH = 500
#: The password of every seeded account (a demo credential, like ``demo seed``'s).
SEED_PASSWORD = "stepwise-demo"  # noqa: S105 - published demo credential


@dataclass(frozen=True)
class SeedReport:
    cohort_id: int
    closed_cycle_id: int
    open_cycle_id: int
    participants: int
    coaches: int
    assessments: int
    reviews: int


def _insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in batches on the Core table (no ORM bookkeeping per row); the new
    ids in order, for tables with an ``id``."""
    ids: list[int] = []
    table: Table = model.__table__
    connection = session.connection()
    for start in range(0, len(rows), BATCH):
        chunk = list(rows[start : start + BATCH])
        if "id" in table.c:
            result = connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk
            )
            ids.extend(int(i) for i in result.scalars().all())
        else:
            connection.execute(insert(table), chunk)
    return ids


def _profile(rng: random.Random, rubric: Rubric) -> dict[str, int]:
    """A level order per behavior (0 .. the highest the behavior defines)."""
    levels: dict[str, int] = {}
    for competency in rubric.competencies:
        for behavior in competency.behaviors:
            orders = [level.order for level in rubric.behavior_levels(behavior)]
            levels[behavior.id] = rng.choice([0, *orders])
    return levels


def _answers(
    rng: random.Random, rubric: Rubric, items: list[ItemRef], profile: dict[str, int]
) -> dict[str, int]:
    high = (rubric.scale.max - 1, rubric.scale.max)
    low = (rubric.scale.min, rubric.scale.min + 1)
    return {
        ref.item.id: rng.choice(high if ref.level.order <= profile[ref.behavior.id] else low)
        for ref in items
    }


def _coach_levels(rng: random.Random, rubric: Rubric, result: dict[str, Any]) -> dict[str, int]:
    """The coach's level per behavior: the scored one, sometimes a step off."""
    defined = {
        b.id: [0, *(level.order for level in rubric.behavior_levels(b))]
        for c in rubric.competencies
        for b in c.behaviors
    }
    levels: dict[str, int] = {}
    for competency in result["competencies"]:
        for behavior in competency["behaviors"]:
            options = defined[behavior["id"]]
            at = options.index(behavior["level"]) if behavior["level"] in options else 0
            step = rng.choice((-1, 0, 0, 0, 1))
            levels[behavior["id"]] = options[max(0, min(len(options) - 1, at + step))]
    return levels


def seed_programme(
    *,
    session: Session,
    participants: int,
    coaches: int | None = None,
    rubric_id: str = "product-owner",
    seed: int = 1,
    now: datetime,
) -> SeedReport:
    """Fill the database (flushes; the caller's unit of work commits)."""
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(
            "Too many or too few participants",
            errors=[field_error(["participants"], f"must be 1 .. {MAX_PARTICIPANTS}")],
        )
    coach_count = coaches if coaches is not None else max(1, participants // 20)
    if not 1 <= coach_count <= participants:
        raise InvalidInput(
            "Too many or too few coaches",
            errors=[field_error(["coaches"], "must be 1 .. the number of participants")],
        )
    tag = f"{participants}-{seed}"
    if accounts.get_user_by_email(session=session, email=f"seed-coach-{tag}-1@example.test"):
        raise Conflict(f"This database already holds the seed of {participants} (seed {seed})")
    version: RubricVersion = get_rubric_version(session=session, rubric_id=rubric_id)
    rubric = rubric_of(version)
    assert version.id is not None
    items = list(rubric.iter_items())
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    password = hash_password(SEED_PASSWORD)

    def people(kind: str, count: int, roles: str) -> list[int]:
        return _insert(
            session,
            User,
            [
                {
                    "email": f"seed-{kind}-{tag}-{n}@example.test",
                    "display_name": f"{kind.title()} {n:05d}",
                    "password_hash": password,
                    "roles": roles,
                    "is_active": True,
                    "created_at": now,
                }
                for n in range(1, count + 1)
            ],
        )

    coach_ids = people("coach", coach_count, "coach")
    member_ids = people("participant", participants, "participant")
    coach_of = {uid: coach_ids[i % coach_count] for i, uid in enumerate(member_ids)}
    _insert(
        session,
        CoachAssignment,
        [{"coach_id": c, "participant_id": p, "created_at": now} for p, c in coach_of.items()],
    )
    (cohort_id,) = _insert(
        session,
        Cohort,
        [
            {
                "name": f"Seeded cohort ({participants})",
                "description": "Scale data from stepwise demo seed",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    _insert(
        session,
        CohortMember,
        [
            {"cohort_id": cohort_id, "user_id": p, "coach_id": c, "added_at": now}
            for p, c in coach_of.items()
        ],
    )
    closed_id, open_id = _insert(
        session,
        Cycle,
        [
            {
                "name": name,
                "cohort_id": cohort_id,
                "rubric_version_id": version.id,
                "opens_at": opens,
                "closes_at": opens + timedelta(days=14),
                "accept_late": False,
                "review_deadline": opens + timedelta(days=28),
                "feedback_phase": False,
                "reminder_days": 3,
                "status": status.value,
                "version": 2 if status is CycleStatus.open else 3,
                "created_at": opens - timedelta(days=7),
                "updated_at": opens,
                "opened_at": opens,
                "closed_at": opens + timedelta(days=14) if status is CycleStatus.closed else None,
            }
            for name, opens, status in (
                ("Seeded cycle: last quarter", now - timedelta(days=90), CycleStatus.closed),
                ("Seeded cycle: this quarter", now - timedelta(days=5), CycleStatus.open),
            )
        ],
    )
    assessments = reviews = 0
    for cycle_id, opens, closed in (
        (closed_id, now - timedelta(days=90), True),
        (open_id, now - timedelta(days=5), False),
    ):
        stages = [
            "submitted" if closed else rng.choice(("submitted", "submitted", "started", "invited"))
            for _ in member_ids
        ]
        results: list[dict[str, Any] | None] = []
        answers: list[dict[str, int]] = []
        for stage in stages:
            given = _answers(rng, rubric, items, _profile(rng, rubric))
            if stage == "invited":
                given = {}
            elif stage == "started":
                given = dict(list(given.items())[: max(1, len(given) // 3)])
            answers.append(given)
            results.append(
                score_responses(rubric, given).model_dump(mode="json")
                if stage == "submitted"
                else None
            )
        submitted_at = opens + timedelta(days=3)
        assessment_ids = _insert(
            session,
            Assessment,
            [
                {
                    "participant_id": p,
                    "rubric_version_id": version.id,
                    "title": "Seeded cycle",
                    "status": Status.submitted.value if result else Status.in_progress.value,
                    "version": 1 + (1 if given else 0) + (1 if result else 0),
                    "created_at": opens,
                    "updated_at": submitted_at if given else opens,
                    "submitted_at": submitted_at if result else None,
                    "result": result,
                    "method": result["method"] if result else None,
                    "closes_at": opens + timedelta(days=14),
                }
                for p, given, result in zip(member_ids, answers, results, strict=True)
            ],
        )
        assessments += len(assessment_ids)
        _insert(
            session,
            AssessmentResponse,
            [
                {"assessment_id": a, "item_id": item, "value": str(value), "updated_at": opens}
                for a, given in zip(assessment_ids, answers, strict=True)
                for item, value in given.items()
            ],
        )
        _insert(
            session,
            CycleParticipation,
            [
                {"cycle_id": cycle_id, "user_id": p, "assessment_id": a, "invited_at": opens}
                for p, a in zip(member_ids, assessment_ids, strict=True)
            ],
        )
        reviewed = [
            (p, a, r)
            for p, a, r in zip(member_ids, assessment_ids, results, strict=True)
            if r is not None and (closed or rng.random() < 0.5)
        ]
        finalized_at = opens + timedelta(days=10)
        review_ids = _insert(
            session,
            CoachReview,
            [
                {
                    "assessment_id": a,
                    "participant_id": p,
                    "coach_id": coach_of[p],
                    "status": ReviewStatus.final.value,
                    "version": 2,
                    "shared_notes": "",
                    "private_notes": "",
                    "created_at": finalized_at,
                    "updated_at": finalized_at,
                    "finalized_at": finalized_at,
                }
                for p, a, _ in reviewed
            ],
        )
        reviews += len(review_ids)
        _insert(
            session,
            ReviewRating,
            [
                {
                    "review_id": rid,
                    "behavior_id": bid,
                    "coach_level": level,
                    "target_level": None,
                    "rationale": "",
                    "evidence": "",
                }
                for rid, (_, _, result) in zip(review_ids, reviewed, strict=True)
                if result is not None
                for bid, level in _coach_levels(rng, rubric, result).items()
            ],
        )
    session.flush()
    return SeedReport(
        cohort_id=cohort_id,
        closed_cycle_id=closed_id,
        open_cycle_id=open_id,
        participants=participants,
        coaches=coach_count,
        assessments=assessments,
        reviews=reviews,
    )
