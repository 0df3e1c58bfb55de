"""One rater's answers as the aggregation reads them (part 1 owns this module)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RaterResponse:
    group: str  # a configured group key, e.g. "manager", "peers"
    levels: Mapping[
        str, int | None
    ]  # behavior id -> level index (0-based in the rubric scale), None = not observed
    comments: Mapping[str, str]  # behavior id -> comment (only non-empty ones)
    keep_doing: str
    start_doing: str
