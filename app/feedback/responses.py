"""The plain data contract between collected feedback and its aggregation.

The aggregation (part of the results) reads raters' answers only in this
shape, through :func:`app.feedback.repository.load_rater_responses`: no
ids, addresses, names or timestamps, so nothing it computes or logs can
point at a person. A list of these is ordered by a hash, never by time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RaterResponse:
    #: A configured group key, e.g. "manager", "peers".
    group: str
    #: Behavior id -> level index (0-based in the rubric's ordered levels, so the
    #: level of ``order`` index + 1), None = not observed. An unanswered behavior
    #: is absent (a submitted rater has answered every behavior of the rubric).
    levels: Mapping[str, int | None]
    #: Behavior id -> comment (only non-empty ones).
    comments: Mapping[str, str]
    keep_doing: str
    start_doing: str
