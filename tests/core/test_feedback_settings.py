"""The feedback settings fail fast at start-up, naming the variable."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import Settings


def test_defaults() -> None:
    settings = Settings()
    assert settings.feedback_group_labels == {
        "manager": "Manager",
        "peers": "Peers",
        "direct_reports": "Direct reports",
        "stakeholders": "Stakeholders",
    }
    assert settings.feedback_min_raters == 3
    assert settings.feedback_show_manager is False
    assert settings.feedback_link_days >= 1


def test_groups_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPWISE_FEEDBACK_GROUPS", " manager = Line manager , peers,key_clients")
    assert Settings().feedback_group_labels == {
        "manager": "Line manager",
        "peers": "Peers",
        "key_clients": "Key clients",
    }


@pytest.mark.parametrize(
    "groups", ["", "manager,,peers", "Manager", "peers,peers", "a-b", f"peers={'x' * 41}"]
)
def test_bad_groups_are_refused(groups: str) -> None:
    with pytest.raises(ValidationError, match="STEPWISE_FEEDBACK_GROUPS"):
        Settings(feedback_groups=groups)


@pytest.mark.parametrize("value", ["2", "0", "-1"])
def test_min_raters_below_three_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("STEPWISE_FEEDBACK_MIN_RATERS", value)
    with pytest.raises(ValidationError, match="feedback_min_raters"):
        Settings()
    monkeypatch.setenv("STEPWISE_FEEDBACK_MIN_RATERS", "3")
    assert Settings().feedback_min_raters == 3
