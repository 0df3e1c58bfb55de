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

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

_M = TypeVar("_M", bound=BaseModel)


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


def trusted_constructor(cls: type[_M]) -> Callable[[dict[str, Any]], _M]:
    """A constructor for ``cls`` from field values the caller knows are valid.

    It sets what :meth:`~pydantic.BaseModel.model_validate` would set (the
    field dict as given, the fields set to its keys, no extra, no private
    state) without running the validator: the engine builds ~28 of these per
    call from values it made itself (nested models, tuples, ints, floats),
    and validation was a large share of its time. ``model_construct`` does the
    same in Python and is slower than validating.

    The caller passes every field, in field order (the dict *is* the model's
    ``__dict__``, so its order is the dump's key order);
    ``tests/scoring/test_engine_differential.py`` proves the results equal
    validated ones, dumps included. A model this shortcut would not model
    faithfully (aliases, private attributes, a post-init hook, extra fields
    kept) gets plain ``model_validate`` instead.
    """
    plain = (
        not cls.__pydantic_root_model__
        and cls.__pydantic_post_init__ is None
        and not cls.__private_attributes__
        and cls.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())
    )
    if not plain:
        return cls.model_validate
    new = object.__new__
    setattr_ = object.__setattr__

    def construct(values: dict[str, Any]) -> _M:
        model = new(cls)
        setattr_(model, "__dict__", values)
        setattr_(model, "__pydantic_fields_set__", set(values))
        setattr_(model, "__pydantic_extra__", None)
        setattr_(model, "__pydantic_private__", None)
        return model

    return construct
