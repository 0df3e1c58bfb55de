"""What each participant page shows, built with the assessments service.

Pages (``app/assessments/pages.py``) call exactly one function here (or in
:mod:`app.assessments.result_views` for results and comparisons) and render
its dataclass; the business rules stay in :mod:`app.assessments.service`
(authorization included) and the questionnaire layout in
:mod:`app.assessments.questionnaire`. Nothing here writes, except
:func:`submit_from_review`, which wraps the service's submit so a refused
submission can be shown on the review page instead of an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.assessments import service
from app.assessments.questionnaire import (
    Option,
    QuestionItem,
    Section,
    SectionStatus,
    build_sections,
    scale_options,
    section_items,
    section_of_item,
    section_statuses,
)
from app.assessments.state import AssessmentState, AssessmentSummary, Progress
from app.core.exceptions import InvalidInput
from app.rubrics.models import RubricVersion
from app.rubrics.schemas import Rubric
from app.rubrics.service import list_current_rubrics
from app.scoring import ScoringResult

WHAT = "Assessment"


# --- home ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestResult:
    summary: AssessmentSummary
    result: ScoringResult


@dataclass(frozen=True)
class HomeView:
    in_progress: list[AssessmentSummary]
    submitted: list[AssessmentSummary]
    rubrics: list[RubricVersion]
    #: The newest submitted result of each rubric, newest first.
    latest: list[LatestResult]
    #: The rubric preselected for a new assessment: the one used last, if any.
    preferred_rubric: str | None = None


def newest_first(summaries: list[AssessmentSummary]) -> list[AssessmentSummary]:
    return sorted(
        summaries,
        key=lambda s: (s.assessment.submitted_at or s.assessment.updated_at, s.assessment.id or 0),
        reverse=True,
    )


def home_view(*, session: Session, user: User) -> HomeView:
    summaries = newest_first(service.list_my_assessments(session=session, user=user))
    submitted = [s for s in summaries if s.assessment.is_submitted]
    latest: dict[str, LatestResult] = {}
    for summary in submitted:
        rubric_id = summary.rubric_version.rubric_id
        if rubric_id not in latest and summary.assessment.result is not None:
            result = ScoringResult.model_validate(summary.assessment.result)
            latest[rubric_id] = LatestResult(summary, result)
    return HomeView(
        in_progress=[s for s in summaries if not s.assessment.is_submitted],
        submitted=submitted,
        rubrics=list_current_rubrics(session=session),
        latest=list(latest.values()),
        preferred_rubric=summaries[0].rubric_version.rubric_id if summaries else None,
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

    @property
    def previous(self) -> int | None:
        return self.section.number - 1 if self.section.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.section.number + 1 if self.section.number < len(self.sections) else None

    @property
    def current_status(self) -> SectionStatus:
        return self.sections[self.section.number - 1]


def owned_state(session: Session, user: User, assessment_id: int) -> AssessmentState:
    """The questionnaire and review are the participant's own: others get 404."""
    state = service.get_assessment_for(session=session, user=user, assessment_id=assessment_id)
    policy.ensure_owner(user=user, participant_id=state.assessment.participant_id, what=WHAT)
    return state


def build_questionnaire(
    state: AssessmentState, number: int, conflicts: dict[str, ItemConflict] | None = None
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
    )


def questionnaire_view(
    *, session: Session, user: User, assessment_id: int, section: int
) -> QuestionnaireView:
    return build_questionnaire(owned_state(session, user, assessment_id), section)


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


def review_view(*, session: Session, user: User, assessment_id: int) -> ReviewView:
    return build_review(owned_state(session, user, assessment_id))


@dataclass(frozen=True)
class SubmitOutcome:
    """Either submitted (go to the results) or refused (show the review with why)."""

    state: AssessmentState
    review: ReviewView | None


def submit_from_review(
    *, session: Session, user: User, assessment_id: int, expected_version: int
) -> SubmitOutcome:
    """Submit; when answers are missing, the review page again with the list.

    The service's refusal is caught inside a savepoint so its version claim
    is undone too: a refused submission changes nothing. A stale version (the
    answers changed in another tab after this review page was loaded) shows
    the review again with the current answers: a submission is final, so the
    person confirms what they actually submit.
    """
    try:
        with session.begin_nested():
            state = service.submit_assessment(
                session=session,
                user=user,
                assessment_id=assessment_id,
                expected_version=expected_version,
            )
    except service.AssessmentConflict as conflict:
        if conflict.state.assessment.is_submitted:
            return SubmitOutcome(conflict.state, None)
        note = (
            "Your answers changed in another tab or device since this page was loaded. "
            "Check them below and submit again."
        )
        return SubmitOutcome(conflict.state, build_review(conflict.state, note))
    except InvalidInput as refused:
        state = owned_state(session, user, assessment_id)
        return SubmitOutcome(state, build_review(state, refused.detail))
    return SubmitOutcome(state, None)
