"""What each coaching page shows, built with the coaching service.

Pages (:mod:`app.coaching.pages`) call exactly one function here and render
its dataclass. The business rules (authorization included) stay in
:mod:`app.coaching.service` and :mod:`app.coaching.plan`; this module adds
what only a page needs: radar charts per competency, labels, and the no-JS
form post of the review workspace (:func:`save_workspace`, which saves the
ratings, notes and plan edits a plain form sends, and keeps what was typed
when the save is refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.charts.radar import RadarChart, RadarSeriesInput, radar_chart
from app.coaching import overview, plan, service
from app.coaching.calibration import FLAG_LABELS, Flag, level_label
from app.coaching.state import (
    BehaviorRow,
    CoacheeLine,
    ParticipantOverview,
    ReviewState,
)
from app.core.exceptions import Conflict, InvalidInput
from app.core.types import MAX_ID, MAX_VERSION, parse_bounded_int
from app.rubrics.schemas import Competency

FLAG_TEXT = {flag.value: label for flag, label in FLAG_LABELS.items()}
RATING_TEXT_FIELDS = ("rationale", "evidence")
PLAN_FIELDS = ("title", "success_measure", "due_date", "status")


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


def _blocks(state: ReviewState) -> list[CompetencyBlock]:
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


def workspace_view(*, session: Session, user: User, review_id: int) -> WorkspaceView:
    state = service.get_review(session=session, user=user, review_id=review_id)
    return WorkspaceView(state=state, blocks=_blocks(state))


def home_view(*, session: Session, user: User) -> list[CoacheeLine]:
    return overview.list_coachees(session=session, user=user)


def participant_view(*, session: Session, user: User, participant_id: int) -> ParticipantOverview:
    return overview.get_participant_overview(
        session=session, user=user, participant_id=participant_id
    )


# --- the no-JS post of the workspace ------------------------------------------------------


@dataclass(frozen=True)
class WorkspacePost:
    """A workspace form, parsed: ``r.<behavior>.<field>``, ``p.<action>.<field>``, notes."""

    version: int | None
    shared_notes: str | None
    private_notes: str | None
    ratings: dict[str, dict[str, str]]
    actions: dict[int, dict[str, str]]
    new_action: dict[str, str]
    #: The button pressed: "save", "rate-unrated", "add-action" or "suggest:<b>:<level>:<i>".
    command: str
    raw: Mapping[str, str]


def parse_workspace_form(form: Mapping[str, str]) -> WorkspacePost:
    ratings: dict[str, dict[str, str]] = {}
    actions: dict[int, dict[str, str]] = {}
    new_action: dict[str, str] = {}
    for name, value in form.items():
        prefix, _, rest = name.partition(".")
        behavior_or_id, _, fname = rest.rpartition(".")
        if prefix == "r" and behavior_or_id:
            ratings.setdefault(behavior_or_id, {})[fname] = value
        elif prefix == "p" and (action_id := parse_bounded_int(behavior_or_id, lo=1, hi=MAX_ID)):
            actions.setdefault(action_id, {})[fname] = value
        elif prefix == "new" and rest:
            new_action[rest] = value
    version = form.get("version", "")
    return WorkspacePost(
        version=parse_bounded_int(version, lo=1, hi=MAX_VERSION),
        shared_notes=form.get("shared_notes"),
        private_notes=form.get("private_notes"),
        ratings=ratings,
        actions=actions,
        new_action=new_action,
        command=form.get("command", "save"),
        raw=form,
    )


def _level(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    level = parse_bounded_int(text.strip(), lo=0, hi=MAX_ID)
    if level is None:
        raise InvalidInput(
            "A level must be chosen from the list",
            errors=[{"loc": ["form"], "msg": "not a level", "type": "value_error"}],
        )
    return level


def _rating_changes(state: ReviewState, post: WorkspacePost) -> dict[str, dict[str, Any]]:
    """Only what differs from the stored review, so a post touches no more than it must."""
    changes: dict[str, dict[str, Any]] = {}
    rows = {row.behavior.id: row for row in state.rows}
    for behavior_id, fields in post.ratings.items():
        row = rows.get(behavior_id)
        wanted: dict[str, Any] = {}
        for name in ("coach_level", "target_level"):
            if name in fields:
                value = _level(fields[name])
                if row is None or getattr(row, name) != value:
                    wanted[name] = value
        for name in RATING_TEXT_FIELDS:
            if name in fields and (row is None or getattr(row, name) != fields[name].strip()):
                wanted[name] = fields[name]
        if wanted:
            changes[behavior_id] = wanted
    if post.command == "rate-unrated":
        for row in state.rows:
            if row.coach_level is None and "coach_level" not in changes.get(row.behavior.id, {}):
                changes.setdefault(row.behavior.id, {})["coach_level"] = row.result.level
    return changes


@dataclass(frozen=True)
class WorkspaceOutcome:
    """Saved (go to ``redirect``) or refused (show ``again`` with what was typed)."""

    redirect: str | None = None
    again: WorkspaceView | None = None
    status_code: int = 200


def save_workspace(
    *, session: Session, user: User, review_id: int, form: Mapping[str, str]
) -> WorkspaceOutcome:
    """Save a plain form post of the workspace, then do what the pressed button asked.

    Ratings and notes are saved with the version the page was rendered with;
    plan edits with each action's own version; a new action (free or from a
    suggestion) is added last. A refusal (stale version, bad value) rolls the
    whole post back and shows the page again with everything that was typed.
    """
    post = parse_workspace_form(form)
    state = service.get_review_for_coach(session=session, user=user, review_id=review_id)
    url = f"/coaching/reviews/{review_id}"
    try:
        with session.begin_nested():
            _apply(session, user, state, post)
    except Conflict as exc:
        fresh = service.get_review_for_coach(session=session, user=user, review_id=review_id)
        return WorkspaceOutcome(
            again=WorkspaceView(
                state=fresh,
                blocks=_blocks(fresh),
                posted=_posted_without_versions(post.raw),
                message=(
                    f"Not saved: {exc.detail} Your entries are shown below; check them "
                    "against the latest version and save again."
                ),
            ),
            status_code=409,
        )
    except InvalidInput as exc:
        return WorkspaceOutcome(
            again=WorkspaceView(
                state=state,
                blocks=_blocks(state),
                posted=post.raw,
                message=f"Not saved: {exc.detail}",
                errors=[
                    f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors or []
                ],
            ),
            status_code=422,
        )
    anchor = {"add-action": "#plan", "rate-unrated": "#ratings"}.get(post.command, "")
    if post.command.startswith("suggest:"):
        anchor = "#plan"
    return WorkspaceOutcome(redirect=url + anchor)


def _posted_without_versions(raw: Mapping[str, str]) -> dict[str, str]:
    """Keep the typed values but take the versions from the fresh state."""
    return {k: v for k, v in raw.items() if k != "version" and not k.endswith(".version")}


def _apply(session: Session, user: User, state: ReviewState, post: WorkspacePost) -> None:
    if state.is_final:
        raise Conflict("Finalized reviews are read-only.")
    changes = _rating_changes(state, post)
    notes = {
        "shared_notes": post.shared_notes
        if post.shared_notes is not None and post.shared_notes != state.review.shared_notes
        else None,
        "private_notes": post.private_notes
        if post.private_notes is not None and post.private_notes != state.review.private_notes
        else None,
    }
    if changes or any(v is not None for v in notes.values()):
        if post.version is None:
            raise Conflict("The form had no version; reload the page.")
        service.save_review(
            session=session,
            user=user,
            review_id=state.id,
            expected_version=post.version,
            ratings=changes,
            **notes,
        )
    current = {entry.id: entry.action for entry in state.plan}
    for action_id, fields in post.actions.items():
        action = current.get(action_id)
        if action is None:
            continue
        edits: dict[str, Any] = {}
        for name in PLAN_FIELDS:
            if name not in fields:
                continue
            value: Any = fields[name].strip()
            if name == "due_date":
                value = _date(value, action_id)
            if getattr(action, name) != value:
                edits[name] = value
        if edits:
            plan.update_plan_action(
                session=session,
                user=user,
                action_id=action_id,
                expected_version=_level(fields.get("version")) or action.version,
                changes=edits,
            )
    if post.command == "add-action":
        plan.add_plan_action(
            session=session,
            user=user,
            review_id=state.id,
            title=post.new_action.get("title"),
            behavior_id=post.new_action.get("behavior_id") or None,
            success_measure=post.new_action.get("success_measure", ""),
            due_date=_date(post.new_action.get("due_date", ""), "new"),
        )
    elif post.command.startswith("suggest:"):
        _, behavior_id, level, index = [*post.command.split(":"), "", "", ""][:4]
        plan.add_plan_action(
            session=session,
            user=user,
            review_id=state.id,
            title=None,
            suggestion={
                "behavior_id": behavior_id,
                "level": level,
                "index": _index
                if (_index := parse_bounded_int(index, lo=0, hi=MAX_ID)) is not None
                else -1,
            },
        )


def _date(text: str | None, where: object) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "Dates are written YYYY-MM-DD",
            errors=[{"loc": ["form", str(where), "due_date"], "msg": "not a date", "type": "date"}],
        ) from None


# --- finalize, participant status -------------------------------------------------------


def finalize_from_page(
    *, session: Session, user: User, review_id: int, version: int
) -> WorkspaceOutcome:
    """Finalize; a refusal (unrated behaviors, stale) shows the confirmation page again."""
    try:
        with session.begin_nested():
            service.finalize_review(
                session=session, user=user, review_id=review_id, expected_version=version
            )
    except (Conflict, InvalidInput) as exc:
        fresh = service.get_review_for_coach(session=session, user=user, review_id=review_id)
        return WorkspaceOutcome(
            again=WorkspaceView(state=fresh, blocks=[], message=f"Not finalized: {exc.detail}"),
            status_code=exc.status_code,
        )
    return WorkspaceOutcome(redirect=f"/coaching/reviews/{review_id}")


def set_action_status(
    *, session: Session, user: User, action_id: int, version: int, status: str
) -> str:
    """The participant's (or coach's) status change from a small form; returns where to go.

    A stale version is not an error worth a page: the other change is kept,
    this one is applied on top (status is a single value, the latest choice
    wins) and recorded in the history like any other.
    """
    try:
        with session.begin_nested():
            entry = plan.update_plan_action(
                session=session,
                user=user,
                action_id=action_id,
                expected_version=version,
                changes={"status": status},
            )
    except plan.PlanActionConflict as exc:
        entry = plan.update_plan_action(
            session=session,
            user=user,
            action_id=action_id,
            expected_version=exc.entry.action.version,
            changes={"status": status},
        )
    return f"/assessments/{entry.action.assessment_id}/results#your-plan"


def flag_label(flag: Flag | None) -> str:
    return FLAG_LABELS[flag] if flag else "Not rated"
