"""Domain events: published by the services in the changing transaction, to every subscriber."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.core import events
from tests.fixtures.assessments import SubmitFactory

Heard = list[events.Event]


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Heard]:
    """Every event published while the test runs (the real subscribers stay registered)."""
    got: Heard = []

    def listen(*, session: Session, event: events.Event) -> None:
        got.append(event)

    registry = {name: [*events.subscribers(name), listen] for name in events.EVENT_NAMES}
    monkeypatch.setattr(events, "_SUBSCRIBERS", registry)
    yield got


def test_an_unknown_event_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown event"):
        events.subscribe("assessment.deleted")
    with pytest.raises(ValueError, match="unknown event"):
        events.publish(session=None, name="nope", data={})  # type: ignore[arg-type]


def test_subscribing_twice_registers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "_SUBSCRIBERS", {})

    def fn(*, session: Session, event: events.Event) -> None:
        pass

    events.subscribe(events.REVIEW_FINALIZED)(fn)
    events.subscribe(events.REVIEW_FINALIZED)(fn)
    assert events.subscribers(events.REVIEW_FINALIZED) == [fn]


def test_submitting_publishes_assessment_submitted_with_ids_only(
    heard: Heard, submitted: SubmitFactory, participant: User
) -> None:
    in_progress = submitted(participant, submit=False)
    assert heard == []
    assessment_id = submitted(participant)
    assert [e.name for e in heard] == [events.ASSESSMENT_SUBMITTED]
    data = heard[0].data
    assert data["assessment_id"] == assessment_id != in_progress
    assert data["participant_id"] == participant.id
    assert data["rubric_id"] == "mini"
    assert set(data) == {
        "assessment_id",
        "participant_id",
        "rubric_id",
        "rubric_version",
        "submitted_at",
    }
