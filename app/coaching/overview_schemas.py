"""API shapes of the coaching overview: a coach's participants and a participant's growth.

Split from :mod:`app.coaching.schemas` (the review and plan shapes) because
they describe another service, :mod:`app.coaching.overview`. Like every
coaching shape, none of them carries a note.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from app.assessments.state import AssessmentRecord
from app.coaching.schemas import PersonOut
from app.coaching.state import CoacheeLine, GrowthView
from app.core.api_schemas import RowOut


# The record's fields of the same names (its others, such as the result, stay out).
class AssessmentLineOut(RowOut[AssessmentRecord]):
    id: int
    title: str | None
    status: str
    created_at: datetime
    submitted_at: datetime | None


class CoacheeOut(BaseModel):
    participant: PersonOut
    email: str
    assessments: int
    latest_assessment: AssessmentLineOut | None
    #: Ids of sessions in progress (draft) for this participant.
    reviews_in_progress: list[int]
    last_finalized_at: datetime | None

    @classmethod
    def of(cls, line: CoacheeLine) -> CoacheeOut:
        return cls(
            participant=PersonOut.of(line.participant),
            email=line.participant.email,
            assessments=line.assessments,
            latest_assessment=AssessmentLineOut.of(line.latest) if line.latest else None,
            reviews_in_progress=[r.id for r in line.in_progress],
            last_finalized_at=line.last_final.finalized_at if line.last_final else None,
        )


class GrowthPointOut(BaseModel):
    assessment_id: int
    taken_at: datetime
    self_level: int | None
    coach_level: int | None
    #: The raters' median level where their results are shown (docs/feedback.md).
    others_median: float | None = None


class BehaviorGrowthOut(BaseModel):
    behavior_id: str
    name: str
    points: list[GrowthPointOut]
    #: Last minus first level (null with fewer than two values).
    self_change: int | None
    coach_change: int | None


class GrowthOut(BaseModel):
    participant_id: int
    assessments: list[AssessmentLineOut]
    behaviors: list[BehaviorGrowthOut]

    @classmethod
    def of(cls, view: GrowthView) -> GrowthOut:
        return cls(
            participant_id=view.participant.id,
            assessments=[AssessmentLineOut.of(a) for a in view.assessments],
            behaviors=[
                BehaviorGrowthOut(
                    behavior_id=b.behavior_id,
                    name=b.name,
                    points=[
                        GrowthPointOut(
                            assessment_id=p.assessment_id,
                            taken_at=p.taken_at,
                            self_level=p.self_level,
                            coach_level=p.coach_level,
                            others_median=p.others_median,
                        )
                        for p in b.points
                    ],
                    self_change=b.self_change,
                    coach_change=b.coach_change,
                )
                for b in view.behaviors
            ],
        )
