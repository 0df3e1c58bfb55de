"""What the participant's home, questionnaire, review and confirm pages show: pure builders.

Each ``build_*`` takes plain data the service returned (states, summaries)
and returns the dataclass a template renders; none takes a session. Pages
(:mod:`app.assessments.pages`) call the service, then one builder; results
and comparisons are in :mod:`app.assessments.result_page_models`, no-JS form
posts in :mod:`app.assessments.forms`. The business rules stay in
:mod:`app.assessments.service` and the questionnaire layout in
:mod:`app.assessments.questionnaire`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.assessments.questionnaire import (
    SECONDS_PER_STATEMENT,
    Option,
    QuestionItem,
    Section,
    SectionStatus,
    build_sections,
    minutes_for,
    scale_options,
    section_items,
    section_of_item,
    section_statuses,
)
from app.assessments.state import AssessmentState, AssessmentSummary, Progress, RubricRef
from app.assessments.upgrade_page_models import UpgradeView
from app.core.pagination import Page
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import Rubric
from app.scoring import ScoringResult, score_responses

# --- home ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestResult:
    summary: AssessmentSummary
    result: ScoringResult


@dataclass(frozen=True)
class HomeView:
    #: This page of the history (newest first), split by status.
    in_progress: list[AssessmentSummary]
    submitted: list[AssessmentSummary]
    #: The rubrics one can start an assessment of (current versions).
    rubrics: list[RubricRef]
    #: The newest submitted result of each rubric, newest first (whatever the page).
    latest: list[LatestResult]
    #: The rubric preselected for a new assessment: the one used last, if any.
    preferred_rubric: str | None = None
    #: The cursor of the history's next page (None on the last).
    next_cursor: str | None = None


def newest_first(summaries: list[AssessmentSummary]) -> list[AssessmentSummary]:
    return sorted(
        summaries,
        key=lambda s: (s.assessment.submitted_at or s.assessment.updated_at, s.assessment.id),
        reverse=True,
    )


def build_home(
    history: Page[AssessmentSummary],
    latest: list[AssessmentSummary],
    rubrics: list[RubricVersion],
    preferred_rubric: str | None = None,
) -> HomeView:
    """The home page from one page of the history, the newest submission of each rubric
    and the rubrics one can start."""
    page = history.items
    return HomeView(
        in_progress=[s for s in page if not s.assessment.is_submitted],
        submitted=[s for s in page if s.assessment.is_submitted],
        rubrics=[RubricRef.of(row) for row in rubrics],
        latest=[LatestResult(s, result) for s in latest if (result := s.assessment.stored_result)],
        preferred_rubric=preferred_rubric,
        next_cursor=history.next_cursor,
    )


# --- questionnaire ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemConflict:
    """A no-JS post that disagreed with an answer saved elsewhere meanwhile."""

    yours: str
    theirs: str | None


@dataclass(frozen=True)
class QuestionnaireView:
    state: AssessmentState
    rubric: Rubric
    sections: list[SectionStatus]
    section: Section
    items: list[QuestionItem]
    options: list[Option]
    progress: Progress
    #: Answered items outside this section (the script keeps the progress bar live).
    answered_elsewhere: int
    conflicts: dict[str, ItemConflict] = field(default_factory=dict)
    #: A newer rubric version's offer, and what the last move asks anew.
    upgrade: UpgradeView = field(default_factory=UpgradeView)

    @property
    def previous(self) -> int | None:
        return self.section.number - 1 if self.section.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.section.number + 1 if self.section.number < len(self.sections) else None

    @property
    def current_status(self) -> SectionStatus:
        return self.sections[self.section.number - 1]

    @property
    def section_minutes(self) -> int:
        """About how long this section takes from scratch."""
        return minutes_for(len(self.section.item_ids))

    @property
    def seconds_per_statement(self) -> int:
        """For the script that keeps "min left" current as answers come in."""
        return SECONDS_PER_STATEMENT

    @property
    def minutes_left(self) -> int:
        """About how long the unanswered statements of the whole questionnaire take."""
        return minutes_for(self.progress.total - self.progress.answered)


def build_questionnaire(
    state: AssessmentState,
    number: int,
    conflicts: dict[str, ItemConflict] | None = None,
    upgrade: UpgradeView | None = None,
) -> QuestionnaireView:
    """The view of section ``number`` (clamped into range, so old links keep working)."""
    rubric = state.rubric
    sections = build_sections(rubric)
    number = min(max(number, 1), len(sections))
    section = sections[number - 1]
    in_section = sum(1 for i in section.item_ids if state.responses.get(i) is not None)
    return QuestionnaireView(
        state=state,
        rubric=rubric,
        sections=section_statuses(sections, state.responses),
        section=section,
        items=section_items(rubric, section, state.responses),
        options=scale_options(rubric),
        progress=state.progress,
        answered_elsewhere=state.progress.answered - in_section,
        conflicts=conflicts or {},
        upgrade=upgrade or UpgradeView(),
    )


# --- review and submit -----------------------------------------------------------------


@dataclass(frozen=True)
class MissingItem:
    id: str
    text: str
    section: Section


@dataclass(frozen=True)
class MissingGroup:
    """The unanswered items of one section; a section not started is listed as a whole."""

    status: SectionStatus
    items: list[MissingItem]

    @property
    def untouched(self) -> bool:
        return self.status.answered == 0


@dataclass(frozen=True)
class ReviewView:
    state: AssessmentState
    rubric: Rubric
    sections: list[SectionStatus]
    missing: list[MissingItem]
    #: Set when a submission was refused (e.g. answers still missing).
    error: str | None = None

    @property
    def missing_groups(self) -> list[MissingGroup]:
        by_section: dict[int, list[MissingItem]] = {}
        for item in self.missing:
            by_section.setdefault(item.section.number, []).append(item)
        return [
            MissingGroup(status, by_section[status.section.number])
            for status in self.sections
            if status.section.number in by_section
        ]


def build_review(state: AssessmentState, error: str | None = None) -> ReviewView:
    """The review page: what is still unanswered, grouped by section."""
    rubric = state.rubric
    sections = build_sections(rubric)
    missing = []
    for item_id in state.missing:
        section = section_of_item(sections, item_id)
        assert section is not None  # missing ids come from the same rubric
        missing.append(MissingItem(item_id, rubric.items_by_id[item_id].item.text, section))
    return ReviewView(
        state=state,
        rubric=rubric,
        sections=section_statuses(sections, state.responses),
        missing=missing,
        error=error,
    )


@dataclass(frozen=True)
class ConfirmView:
    """The last step before the irreversible submit: the levels the answers would give."""

    state: AssessmentState
    rubric: Rubric
    #: Scored now, without storing anything (the engine is pure); submitting scores again.
    preview: ScoringResult

    @property
    def behavior_count(self) -> int:
        return sum(len(c.behaviors) for c in self.preview.competencies)


def build_confirm(state: AssessmentState) -> ConfirmView:
    """Score a complete questionnaire for the preview; the caller checks it is complete."""
    return ConfirmView(
        state=state, rubric=state.rubric, preview=score_responses(state.rubric, state.responses)
    )
