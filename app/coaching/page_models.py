"""What the coaching pages show: pure builders of page models.

:func:`build_workspace` turns a plain :class:`~app.coaching.state.ReviewState`
into the review workspace's page model (radar charts per competency, labels,
what a refused post sent); it takes no session. Pages
(:mod:`app.coaching.pages`) call the service, then a builder; no-JS form
posts are in :mod:`app.coaching.forms`, the results page in
:mod:`app.coaching.results_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from app.assessments.result_page_models import level_names
from app.assessments.state import AssessmentRecord
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.coaching.calibration import FLAG_LABELS
from app.coaching.outlook import DatedPlan, Rung, is_overdue, ladder, ordered_plan
from app.coaching.state import BehaviorRow, EventRecord, ParticipantOverview, PlanEntry, ReviewState
from app.core import i18n
from app.core.i18n import N_, Text
from app.rubrics.schemas import NA, Competency, Rubric

FLAG_TEXT = {flag.value: label for flag, label in FLAG_LABELS.items()}


@dataclass(frozen=True, slots=True)
class Answer:
    """One statement of the questionnaire as the participant answered it, for the coach."""

    text: str
    #: The level the statement belongs to (coaches may see it; the questionnaire hides it).
    level_name: str
    #: "4 · Usually like me", "Not applicable" or "Not answered".
    answer: str
    #: The scale point, or None for n/a and unanswered.
    point: int | None


def answer_label(rubric: Rubric, value: object) -> tuple[str, int | None]:
    """A stored answer in words, with its scale point when it has one."""
    if value is None:
        return "Not answered", None
    if value == NA:
        return "Not applicable", None
    point = int(str(value))
    label = rubric.scale.labels.get(point)
    return (f"{point} · {label}" if label else str(point)), point


def answers_by_behavior(rubric: Rubric, responses: Mapping[str, object]) -> dict[str, list[Answer]]:
    """Every statement with its answer, per behavior id, in questionnaire order.

    For the coach (review workspace, the coach's view of the results): the
    inconsistency talking point asks "which statements felt true", and this
    is where the coach reads them. Never shown to anyone without the right to
    read the assessment (the pages' services check that first).
    """
    grouped: dict[str, list[Answer]] = {}
    for ref in rubric.iter_items():
        text, point = answer_label(rubric, responses.get(ref.item.id))
        grouped.setdefault(ref.behavior.id, []).append(
            Answer(text=ref.item.text, level_name=ref.level.name, answer=text, point=point)
        )
    return grouped


@dataclass(frozen=True)
class CompetencyBlock:
    competency: Competency
    rows: list[BehaviorRow]
    chart: RadarChart


@dataclass(frozen=True)
class WorkspaceView:
    """The review workspace (coach) or its read-only form once finalized."""

    state: ReviewState
    #: Whether the page shows the competency blocks with their radars (not the finalize page).
    charts: bool = True
    #: What a refused no-JS post sent, shown again instead of the stored values.
    posted: Mapping[str, str] = field(default_factory=dict)
    message: Text | None = None
    errors: list[Text] = field(default_factory=list)
    #: The participant's answers per behavior id (empty when not loaded).
    answers: Mapping[str, list[Answer]] = field(default_factory=dict)
    #: The day past due dates are measured against (UTC); None: not shown.
    today: date | None = None

    @cached_property
    def blocks(self) -> list[CompetencyBlock]:
        """Built when the template first reads them: the radars' words are in the page's locale."""
        return competency_blocks(self.state) if self.charts else []

    def rungs(self, row: BehaviorRow) -> list[Rung]:
        """The behavior's level ladder, marked with self, coach and target."""
        return ladder(
            self.state.rubric,
            row.behavior,
            self_level=row.result.level,
            coach_level=row.coach_level,
            target_level=row.target_level,
        )

    def overdue(self, entry: PlanEntry) -> bool:
        return self.today is not None and is_overdue(entry, self.today)

    def past(self, due: date | None) -> bool:
        """A due date before today (a warning on entry, whatever the status)."""
        return self.today is not None and due is not None and due < self.today

    @property
    def with_target(self) -> int:
        """Behaviors with an agreed target (the finalize page counts what is true)."""
        return sum(1 for row in self.state.rows if row.target_level is not None)

    @property
    def session_actions(self) -> int:
        """Plan actions agreed in this session (the plan also holds earlier sessions')."""
        return sum(1 for e in self.state.plan if e.action.review_id == self.state.id)

    @property
    def with_notes(self) -> int:
        """Behaviors with a rationale or evidence note."""
        return sum(1 for row in self.state.rows if row.rationale or row.evidence)

    @property
    def read_only(self) -> bool:
        return self.state.is_final

    def value(self, name: str, stored: object) -> str:
        """A field's value: what was just posted (after a refusal), else the stored one."""
        if name in self.posted:
            return self.posted[name]
        if stored is None:
            return ""
        return stored.isoformat() if isinstance(stored, date) else str(stored)

    @property
    def behaviors(self) -> list[tuple[str, str]]:
        return [(row.behavior.id, row.behavior.name) for row in self.state.rows]

    @property
    def flag_text(self) -> dict[str, str]:
        return FLAG_TEXT


def competency_blocks(state: ReviewState) -> list[CompetencyBlock]:
    """Rows grouped by competency, each with a radar of self, coach and target levels.

    The self series plots the self-assessed *level* (not the fractional score)
    so it compares like for like with the coach's rating: where the two
    lines differ is exactly where a flag is shown. Its words are in the locale of
    the render in progress.
    """
    locale = i18n.rendering_locale()
    rubric = state.rubric
    names = level_names(rubric, locale)

    def label(text: str) -> str:
        return i18n.gettext(locale, text)

    blocks: list[CompetencyBlock] = []
    for competency in rubric.competencies:
        rows = [r for r in state.rows if r.competency.id == competency.id]
        chart = radar_chart(
            title=i18n.gettext(locale, N_("%(competency)s: self, coach and target levels"))
            % {"competency": competency.name},
            axes=[r.behavior.name for r in rows],
            level_names=names,
            series=[
                RadarSeriesInput(
                    "self", label(N_("Self-assessment")), [r.result.level for r in rows]
                ),
                RadarSeriesInput("coach", label(N_("Coach rating")), [r.coach_level for r in rows]),
                RadarSeriesInput("target", label(N_("Target")), [r.target_level for r in rows]),
            ],
            id=f"review-radar-{competency.id}",
            locale=locale,
        )
        blocks.append(CompetencyBlock(competency, rows, chart))
    return blocks


def build_workspace(
    state: ReviewState,
    *,
    posted: Mapping[str, str] | None = None,
    message: Text | None = None,
    errors: list[Text] | None = None,
    charts: bool = True,
    answers: Mapping[str, list[Answer]] | None = None,
    today: date | None = None,
) -> WorkspaceView:
    """The workspace (or, with ``charts=False``, the finalize page) of a review."""
    return WorkspaceView(
        state=state,
        charts=charts,
        posted=posted or {},
        message=message,
        errors=errors or [],
        answers=answers or {},
        today=today,
    )


# --- the coach's page about one participant ---------------------------------------------


@dataclass(frozen=True)
class PlanUpdate:
    """A change the participant made to one of their actions (status, mostly)."""

    entry: PlanEntry
    event: EventRecord


@dataclass(frozen=True, kw_only=True)
class ParticipantPage(DatedPlan):
    """What the coach's participant page adds to the overview: the plan (dropped actions
    left out) and its news."""

    overview: ParticipantOverview
    #: Changes the participant made themself, newest first.
    updates: list[PlanUpdate]

    def review_action(self, assessment: AssessmentRecord) -> str:
        """The assessment's review button: "continue" a session in progress, "start" the
        first one, or "follow-up" once one is finalized (a quiet button: the review is done)."""
        sessions = self.overview.sessions_of(assessment)
        if any(not s.review.is_final for s in sessions):
            return "continue"
        return "follow-up" if sessions else "start"


#: At most this many of the participant's plan changes on the coach's page.
MAX_UPDATES = 10


def build_participant_page(overview: ParticipantOverview, *, today: date) -> ParticipantPage:
    """The participant page's plan (PDF order) and the participant's own recent changes."""
    pid = overview.participant.id
    updates = [
        PlanUpdate(entry, event)
        for entry in overview.plan
        for event in entry.events
        if event.actor is not None and event.actor.id == pid and event.field != "created"
    ]
    updates.sort(key=lambda u: u.event.at, reverse=True)
    return ParticipantPage(
        overview=overview,
        plan=ordered_plan([e for e in overview.plan if e.action.status != "dropped"]),
        updates=updates[:MAX_UPDATES],
        today=today,
    )
