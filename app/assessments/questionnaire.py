"""The questionnaire as pages: sections, items and response options built from a rubric.

A rubric is data, so nothing here knows a particular framework: the sections
are the rubric's key behaviors in questionnaire order (one behavior per step,
grouped under its competency), the options are the rubric's scale with its own
labels, and "n/a" appears only where the scale allows it.

The participant is deliberately *not* shown which level an item belongs to:
knowing that a statement is the "Catalyst" one invites answering the level
instead of the statement. Items keep the rubric's order (lowest level first).

Form fields are named ``a.<item id>`` (item ids are slugs, so the name needs no
escaping) and their values are the answer as text: the scale number or
``"n/a"``. The same text is what the questionnaire JavaScript sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.rubrics.schemas import NA, Behavior, Competency, Rubric

FIELD_PREFIX = "a."
NA_LABEL = "Not applicable"
#: What one statement takes to read and answer, on average (timed on the Product
#: Owner rubric: 230 statements in about half an hour). The estimate shown is a
#: promise people plan around, so it is rounded up, never down.
SECONDS_PER_STATEMENT = 8


@dataclass(frozen=True, slots=True)
class Option:
    """One radio button of the response scale."""

    value: str
    #: The number (or "n/a") shown big; the label (if the rubric has one) below it.
    short: str
    label: str | None
    is_na: bool = False


@dataclass(frozen=True, slots=True)
class QuestionItem:
    id: str
    text: str
    #: The current answer as form text ("3", "n/a"), or None when unanswered.
    value: str | None

    @property
    def field(self) -> str:
        return field_name(self.id)


@dataclass(frozen=True, slots=True)
class Section:
    """One step of the questionnaire: a key behavior with its items."""

    number: int  # 1-based, as shown in URLs (?section=N) and to people
    competency: Competency
    behavior: Behavior
    item_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionStatus:
    """A section in the navigation: how much of it is answered."""

    section: Section
    answered: int

    @property
    def total(self) -> int:
        return len(self.section.item_ids)

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def field_name(item_id: str) -> str:
    return f"{FIELD_PREFIX}{item_id}"


def answer_text(value: object) -> str | None:
    """A stored answer as form text; None for unanswered."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return str(value)


def minutes_for(statements: int) -> int:
    """About how many minutes ``statements`` take (rounded up; 0 only for none)."""
    if statements <= 0:
        return 0
    return -(-statements * SECONDS_PER_STATEMENT // 60)


def scale_options(rubric: Rubric) -> list[Option]:
    """The response scale from the rubric: every point, its label if any, then n/a if allowed."""
    scale = rubric.scale
    options = [
        Option(value=str(point), short=str(point), label=scale.labels.get(point))
        for point in range(scale.min, scale.max + 1)
    ]
    if scale.allow_na:
        options.append(Option(value=NA, short="n/a", label=NA_LABEL, is_na=True))
    return options


def build_sections(rubric: Rubric) -> list[Section]:
    """One section per key behavior, in questionnaire order."""
    sections: list[Section] = []
    for competency in rubric.competencies:
        for behavior in competency.behaviors:
            item_ids = tuple(
                item.id
                for level in rubric.behavior_levels(behavior)
                for item in behavior.levels[level.id].items
            )
            sections.append(Section(len(sections) + 1, competency, behavior, item_ids))
    return sections


def section_items(
    rubric: Rubric, section: Section, responses: Mapping[str, object]
) -> list[QuestionItem]:
    refs = rubric.items_by_id
    return [
        QuestionItem(id=i, text=refs[i].item.text, value=answer_text(responses.get(i)))
        for i in section.item_ids
    ]


def section_statuses(
    sections: list[Section], responses: Mapping[str, object]
) -> list[SectionStatus]:
    return [
        SectionStatus(s, sum(1 for i in s.item_ids if responses.get(i) is not None))
        for s in sections
    ]


def section_of_item(sections: list[Section], item_id: str) -> Section | None:
    for section in sections:
        if item_id in section.item_ids:
            return section
    return None
