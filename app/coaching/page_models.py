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

from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.coaching.calibration import FLAG_LABELS, level_label
from app.coaching.state import BehaviorRow, ReviewState
from app.rubrics.schemas import Competency

FLAG_TEXT = {flag.value: label for flag, label in FLAG_LABELS.items()}


@dataclass(frozen=True)
class CompetencyBlock:
    competency: Competency
    rows: list[BehaviorRow]
    chart: RadarChart


@dataclass(frozen=True)
class WorkspaceView:
    """The review workspace (coach) or its read-only form once finalized."""

    state: ReviewState
    blocks: list[CompetencyBlock]
    #: What a refused no-JS post sent, shown again instead of the stored values.
    posted: Mapping[str, str] = field(default_factory=dict)
    message: str | None = None
    errors: list[str] = field(default_factory=list)

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
    lines differ is exactly where a flag is shown.
    """
    rubric = state.rubric
    names = [
        level_label(rubric, order) for order in range(max(lv.order for lv in rubric.levels) + 1)
    ]
    blocks: list[CompetencyBlock] = []
    for competency in rubric.competencies:
        rows = [r for r in state.rows if r.competency.id == competency.id]
        chart = radar_chart(
            title=f"{competency.name}: self, coach and target levels",
            axes=[r.behavior.name for r in rows],
            level_names=names,
            series=[
                RadarSeriesInput("self", "Self-assessment", [r.result.level for r in rows]),
                RadarSeriesInput("coach", "Coach rating", [r.coach_level for r in rows]),
                RadarSeriesInput("target", "Target", [r.target_level for r in rows]),
            ],
            id=f"review-radar-{competency.id}",
        )
        blocks.append(CompetencyBlock(competency, rows, chart))
    return blocks


def build_workspace(
    state: ReviewState,
    *,
    posted: Mapping[str, str] | None = None,
    message: str | None = None,
    errors: list[str] | None = None,
    charts: bool = True,
) -> WorkspaceView:
    """The workspace (or, with ``charts=False``, the finalize page) of a review."""
    return WorkspaceView(
        state=state,
        blocks=competency_blocks(state) if charts else [],
        posted=posted or {},
        message=message,
        errors=errors or [],
    )
