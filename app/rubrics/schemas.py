"""The rubric file format, as Pydantic models.

A rubric is data authored by an organisation (YAML in ``rubrics/``), so these
models are the contract between authors and the engine. Structural checks
(types, required fields, unknown keys) live here; the cross-references that
need the whole document (duplicate ids, unknown level ids, threshold inside the
scale) live in :mod:`app.rubrics.checks` so each problem gets a precise path.

This module imports neither FastAPI nor SQLModel: the pure scoring engine
consumes these models directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.core.i18n import N_

#: A stable identifier: lower-case letters, digits and dashes (``vision-strategy``).
Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$"
    ),
]
#: Prose that must not be empty once whitespace is stripped.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _no_negative_zero(value: float) -> float:
    """-0.0 is 0.0: a spreadsheet or YAML writer prints both as ``0``, so keep one of them
    (else a rubric's content hash would change on a lossless round trip)."""
    return value + 0.0


#: A float that is never -0.0.
Number = Annotated[float, AfterValidator(_no_negative_zero)]

NA: Literal["n/a"] = "n/a"
"""The response value for "not applicable" where the rubric's scale allows it."""


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a rubric must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """The response scale every item is answered on."""

    min: int = 1
    max: int = 5
    allow_na: bool = True
    labels: dict[int, Text] = Field(default_factory=dict)


class ScoringRules(_Strict):
    """How answers become levels; see docs/scoring.md."""

    threshold: Number = 3.5
    overall: Literal["median", "minimum"] = "median"


class Level(_Strict):
    """One proficiency level of the framework, shared by all competencies."""

    id: Slug
    name: Text
    order: int = Field(ge=1)
    summary: Text


class Item(_Strict):
    """A questionnaire statement, written in the first person."""

    id: Slug
    text: Text


class BehaviorLevel(_Strict):
    """What a key behavior looks like at one level, how to ask about it, how to grow into it."""

    descriptor: Text
    #: The descriptor as a feedback rater reads it, about "this person" (else ``descriptor``).
    rater_descriptor: Text | None = None
    items: list[Item] = Field(min_length=1)
    actions: list[Text] = Field(default_factory=list)


class Behavior(_Strict):
    """A key behavior of a competency. It may define only some of the framework's levels."""

    id: Slug
    name: Text
    description: Text
    #: The question a feedback rater is asked about this behavior, phrased about
    #: "this person" (else the behavior's name and description are shown).
    rater_prompt: Text | None = None
    levels: dict[str, BehaviorLevel] = Field(min_length=1)


class CompetencyLevel(_Strict):
    """What one level means for a competency as a whole (its development path)."""

    summary: Text


class Competency(_Strict):
    id: Slug
    name: Text
    purpose: Text
    description: Text
    levels: dict[str, CompetencyLevel] = Field(default_factory=dict)
    behaviors: list[Behavior] = Field(min_length=1)


class Role(_Strict):
    """A job profile within the framework: which competencies apply and the level aimed for.

    ``targets`` maps a behavior id to the level id the role expects; a behavior
    of the role's competencies without a target is assessed but has no gap.
    See docs/rubric-format.md (Roles) and :mod:`app.rubrics.roles`.
    """

    id: Slug
    title: Text
    description: Text | None = None
    competencies: list[Slug] = Field(min_length=1)
    targets: dict[str, Slug] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemRef:
    """Where an item sits in the rubric."""

    item: Item
    competency: Competency
    behavior: Behavior
    level: Level


class Rubric(_Strict):
    """A whole competency framework: one YAML file."""

    id: Slug
    title: Text
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    description: Text
    scale: Scale = Field(default_factory=Scale)
    scoring: ScoringRules = Field(default_factory=ScoringRules)
    levels: list[Level] = Field(min_length=1)
    competencies: list[Competency] = Field(min_length=1)
    #: Optional role profiles (left out of the content hash while empty, so
    #: rubrics written before roles existed keep their hash).
    roles: list[Role] = Field(default_factory=list)

    # Derived lookups. Valid only after app.rubrics.checks accepted the rubric.

    @cached_property
    def levels_by_id(self) -> dict[str, Level]:
        return {level.id: level for level in self.levels}

    @cached_property
    def ordered_levels(self) -> list[Level]:
        return sorted(self.levels, key=lambda level: level.order)

    @cached_property
    def roles_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    @cached_property
    def items_by_id(self) -> dict[str, ItemRef]:
        return {ref.item.id: ref for ref in self.iter_items()}

    def iter_items(self) -> Iterator[ItemRef]:
        """Every item in questionnaire order: competency, behavior, level order."""
        for competency in self.competencies:
            for behavior in competency.behaviors:
                for level in self.behavior_levels(behavior):
                    for item in behavior.levels[level.id].items:
                        yield ItemRef(item, competency, behavior, level)

    def behavior_levels(self, behavior: Behavior) -> list[Level]:
        """The levels a behavior defines, lowest order first."""
        return [level for level in self.ordered_levels if level.id in behavior.levels]

    def level_name(self, order: int) -> str:
        """Display name for a level order; 0 is "Not yet"."""
        for level in self.levels:
            if level.order == order:
                return level.name
        return NOT_YET

    @property
    def item_count(self) -> int:
        return len(self.items_by_id)


NOT_YET = N_("Not yet")
"""The name of level 0: the lowest defined level is not demonstrated yet."""
