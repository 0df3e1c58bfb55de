"""What the questionnaire shows about rubric version upgrades: pure builders.

Two things, both optional:

* the **offer** (a banner while a newer version of the rubric exists): how many
  answers the move keeps, which items it asks anew, and a no-JS form posting
  ``/assessments/{id}/upgrade`` with the version the page was based on;
* the **notice** after a move: the items that are new or changed in the
  version moved to and not answered yet (each linking to its section), and a
  mark on every such item in its section.

The plans come from :mod:`app.assessments.upgrade_service`; nothing here
reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.assessments.questionnaire import Section, build_sections, section_of_item
from app.assessments.state import AssessmentState
from app.assessments.upgrade import Change, ItemToAnswer, UpgradePlan
from app.core.i18n import N_

#: How each change is marked on its item.
MARKS: dict[Change, str] = {Change.new: N_("New"), Change.changed: N_("Changed")}


@dataclass(frozen=True, slots=True)
class AnewItem:
    """An item to answer anew, with the section it is in (for links)."""

    item: ItemToAnswer
    section: Section

    @property
    def mark(self) -> str:
        return MARKS[self.item.change]


@dataclass(frozen=True)
class UpgradeOffer:
    """The banner: a newer version exists, and what moving to it would do."""

    plan: UpgradePlan
    #: The assessment version the form posts (a stale one is refused, 409).
    version: int
    #: Set when a move was refused because the page was stale.
    error: str | None = None


@dataclass(frozen=True)
class UpgradeNotice:
    """After a move: what the new version asks that is still unanswered."""

    plan: UpgradePlan
    open: list[AnewItem]
    #: item id -> its mark ("New", "Changed") for every new or changed item.
    marks: dict[str, str]


@dataclass(frozen=True)
class UpgradeView:
    offer: UpgradeOffer | None = None
    notice: UpgradeNotice | None = None
    marks: dict[str, str] = field(default_factory=dict)


def _anew(sections: list[Section], items: tuple[ItemToAnswer, ...]) -> list[AnewItem]:
    found = []
    for item in items:
        section = section_of_item(sections, item.item_id)
        if section is not None:
            found.append(AnewItem(item, section))
    return found


def build_upgrade_view(
    state: AssessmentState,
    *,
    offer: UpgradePlan | None,
    moved: UpgradePlan | None,
    error: str | None = None,
) -> UpgradeView:
    """The banner from ``offer`` (the plan to the current version, if newer) and the
    notice from ``moved`` (what the last move made new or changed, if it moved)."""
    banner = notice = None
    marks: dict[str, str] = {}
    if offer is not None:
        banner = UpgradeOffer(offer, state.version, error=error)
    if moved is not None and moved.to_answer:
        sections = build_sections(state.rubric)
        marks = {i.item_id: MARKS[i.change] for i in moved.to_answer}
        unanswered = tuple(i for i in moved.to_answer if state.responses.get(i.item_id) is None)
        notice = UpgradeNotice(moved, _anew(sections, unanswered), marks)
    return UpgradeView(offer=banner, notice=notice, marks=marks)


def first_section_to_answer(state: AssessmentState, plan: UpgradePlan) -> int:
    """Where to go after a move: the first section with an item to answer anew (else 1)."""
    found = _anew(build_sections(state.rubric), plan.to_answer)
    return found[0].section.number if found else 1
