"""Report test helpers: rubrics loaded from their files (the report code needs no database)
and submitted assessments made through the assessments service, as a participant would."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service as assessments
from app.rubrics.loader import load_rubric_file
from app.rubrics.schemas import Rubric

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def mini_rubric() -> Rubric:
    return load_rubric_file(ROOT / "tests" / "fixtures" / "rubrics" / "mini.yaml").rubric


@pytest.fixture(scope="session")
def po_rubric() -> Rubric:
    return load_rubric_file(ROOT / "rubrics" / "product-owner.yaml").rubric


#: Answers to ``mini`` (scale 0..4, threshold 3): planning reaches 2, review 1.
MINI_ANSWERS: dict[str, int] = {
    "pl-1": 4, "pl-2a": 4, "pl-2b": 4, "pl-3": 0, "rv-1": 4, "rv-3a": 0, "rv-3b": 0,
}  # fmt: skip

SubmitFactory = Callable[..., int]


@pytest.fixture
def submitted(session: Session) -> SubmitFactory:
    """``submitted(participant, answers=MINI_ANSWERS, rubric_id="mini", submit=True)`` -> id."""

    def make(
        participant: User,
        answers: Mapping[str, int | str] | None = None,
        rubric_id: str = "mini",
        submit: bool = True,
    ) -> int:
        state = assessments.create_assessment(
            session=session, user=participant, rubric_id=rubric_id
        )
        state = assessments.save_responses(
            session=session,
            user=participant,
            assessment_id=state.id,
            expected_version=state.version,
            responses=dict(MINI_ANSWERS if answers is None else answers),
        )
        if submit:
            state = assessments.submit_assessment(
                session=session,
                user=participant,
                assessment_id=state.id,
                expected_version=state.version,
            )
        session.commit()
        return state.id

    return make
