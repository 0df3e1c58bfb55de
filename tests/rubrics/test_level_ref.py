"""One level reference for the feedback scale and the report (app.rubrics.level_ref)."""

from __future__ import annotations

import dataclasses

import pytest

from app.feedback.aggregation import ScaleLevel
from app.reports.model import LevelDefinition, LevelRef
from app.rubrics.level_ref import LevelRef as SharedLevelRef


def test_feedback_and_report_share_the_type() -> None:
    assert ScaleLevel is SharedLevelRef and LevelRef is SharedLevelRef
    assert ScaleLevel(2, "Practitioner") == LevelRef(2, "Practitioner")


def test_plain_frozen_and_serialised_by_field() -> None:
    level = SharedLevelRef(0, "Not yet")
    assert dataclasses.asdict(level) == {"order": 0, "name": "Not yet"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        level.order = 1  # type: ignore[misc]
    # The report's level definitions extend it with a summary.
    assert dataclasses.asdict(LevelDefinition(1, "Starter", "Begins")) == {
        "order": 1,
        "name": "Starter",
        "summary": "Begins",
    }
