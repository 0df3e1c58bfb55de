"""The no-JavaScript form posts of the review workspace: parse the form, call the services.

:func:`save_workspace` saves the ratings, notes and plan edits a plain form
sends (and adds a plan action when a button asks), inside one savepoint so a
refusal undoes the whole post and the page shows again with everything that
was typed; :func:`finalize_from_page` does the same for finalizing. The
rules themselves are in :mod:`app.coaching.service` and :mod:`app.coaching.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.coaching import plan, service
from app.coaching.page_models import WorkspaceView, build_workspace
from app.coaching.state import ReviewState
from app.core.exceptions import Conflict, InvalidInput
from app.core.i18n import N_, lazy_gettext
from app.core.types import MAX_ID, MAX_VERSION, parse_bounded_int

RATING_TEXT_FIELDS = ("rationale", "evidence")
PLAN_FIELDS = ("title", "success_measure", "due_date", "status")


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
            N_("A level must be chosen from the list"),
            errors=[{"loc": ["form"], "msg": N_("not a level"), "type": "value_error"}],
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
            again=build_workspace(
                fresh,
                posted=_posted_without_versions(post.raw),
                message=lazy_gettext(
                    N_(
                        "Not saved: %(detail)s Your entries are shown below; check them "
                        "against the latest version and save again."
                    ),
                    detail=exc.detail,
                ),
            ),
            status_code=409,
        )
    except InvalidInput as exc:
        return WorkspaceOutcome(
            again=build_workspace(
                state,
                posted=post.raw,
                message=lazy_gettext(N_("Not saved: %(detail)s"), detail=exc.detail),
                errors=[
                    lazy_gettext("%(field)s: %(msg)s", field=_field(e["loc"]), msg=e["msg"])
                    for e in exc.errors or []
                ],
            ),
            status_code=422,
        )
    anchor = {"add-action": "#plan", "rate-unrated": "#ratings"}.get(post.command, "")
    if post.command.startswith("suggest:"):
        anchor = "#plan"
    return WorkspaceOutcome(redirect=url + anchor)


def _field(loc: list[str | int]) -> str:
    """Where a refusal points, without its leading ``body``/``form``: ``r.planning.coach_level``."""
    return ".".join(map(str, loc[1:]))


def _posted_without_versions(raw: Mapping[str, str]) -> dict[str, str]:
    """Keep the typed values but take the versions from the fresh state."""
    return {k: v for k, v in raw.items() if k != "version" and not k.endswith(".version")}


def _apply(session: Session, user: User, state: ReviewState, post: WorkspacePost) -> None:
    if state.is_final:
        raise Conflict(N_("Finalized reviews are read-only."))
    changes = _rating_changes(state, post)
    notes = {
        "shared_notes": post.shared_notes
        if post.shared_notes is not None and post.shared_notes != state.review.shared_notes
        else None,
        "private_notes": post.private_notes
        if post.private_notes is not None and post.private_notes != state.private_notes
        else None,
    }
    if changes or any(v is not None for v in notes.values()):
        if post.version is None:
            raise Conflict(N_("The form had no version; reload the page."))
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
            N_("Dates are written YYYY-MM-DD"),
            errors=[
                {"loc": ["form", str(where), "due_date"], "msg": N_("not a date"), "type": "date"}
            ],
        ) from None


# --- finalize ---------------------------------------------------------------------------


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
            again=build_workspace(
                fresh,
                message=lazy_gettext(N_("Not finalized: %(detail)s"), detail=exc.detail),
                charts=False,
            ),
            status_code=exc.status_code,
        )
    return WorkspaceOutcome(redirect=f"/coaching/reviews/{review_id}")
