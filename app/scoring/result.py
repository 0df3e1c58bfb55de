"""The scoring result: the JSON contract shared by the API, CLI, pages and PDF reports.

Every consumer renders the same document, so the shape lives in one place and
is frozen: a result is a record of what the method computed at the time, not
something to patch up afterwards. Sequences are tuples so that "frozen" also
holds for the nested lists; they serialise as JSON arrays all the same.

``method`` is a plain string rather than a literal of the current method: a
stored result keeps the method that produced it (see docs/scoring.md, "Method
versions"), and this model must still be able to load it after a new method
ships.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    """Immutable and closed: an unexpected key in stored JSON is an error, not data."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class RubricRef(_Frozen):
    """Which rubric (and which version of it) the answers were scored against."""

    id: str
    version: str


class CurrentLevel(_Frozen):
    """What the behavior looks like at the level the participant has reached."""

    level: str
    descriptor: str


class NextLevel(_Frozen):
    """The next step up: what it looks like and how to grow into it."""

    level: str
    descriptor: str
    actions: tuple[str, ...] = ()


class LevelEvidence(_Frozen):
    """Per-level evidence for coaches: why a level is (not) demonstrated.

    ``mean`` is rounded to 2 decimals for display; ``demonstrated`` was decided
    on the unrounded mean, so in rare cases (many items) a mean shown as equal
    to the threshold can still be "not demonstrated".
    """

    level: str
    order: int
    mean: float | None
    answered: int
    total: int
    demonstrated: bool


class BehaviorResult(_Frozen):
    """One key behavior: its level, fractional score and the evidence behind them."""

    id: str
    name: str
    level: int
    level_name: str
    score: float
    consistent: bool
    answered: int
    total: int
    current: CurrentLevel | None
    next: NextLevel | None
    levels: tuple[LevelEvidence, ...]


class CompetencyResult(_Frozen):
    """A competency's overall level (median or minimum of its behaviors) and its behaviors."""

    id: str
    name: str
    level: int
    level_name: str
    behaviors: tuple[BehaviorResult, ...]


class ScoringResult(_Frozen):
    """The whole result of scoring one questionnaire against one rubric."""

    rubric: RubricRef
    method: str
    answered: int
    total: int
    competencies: tuple[CompetencyResult, ...]

    def behavior(self, behavior_id: str) -> BehaviorResult:
        """Look a behavior up by id (ids are unique across a rubric); KeyError if absent."""
        for competency in self.competencies:
            for behavior in competency.behaviors:
                if behavior.id == behavior_id:
                    return behavior
        raise KeyError(behavior_id)

    @property
    def behavior_levels(self) -> dict[str, int]:
        """Behavior id -> level order (0 = not yet), for the behaviors that were assessed."""
        return {b.id: b.level for c in self.competencies for b in c.behaviors}

    def competency(self, competency_id: str) -> CompetencyResult:
        """Look a competency up by id; KeyError if absent."""
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(competency_id)
