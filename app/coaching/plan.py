"""The development plan: actions agreed in review sessions, and their history.

A plan belongs to the participant. Actions are *created* in a session that is
still in progress (the coach adds them while reviewing), and *edited* later:
the coach may change every field at any time, the participant only the
status of their own actions, and only once the session that agreed them is
finalized (before that they have not been shown the action). Every change is
written to ``plan_action_events`` so the coach sees who changed what, when.

Saves are versioned like reviews and assessments
(:func:`app.core.versioning.claim_version`): the loser of two writers gets
409 (:class:`~app.core.versioning.VersionConflict`) with the action as it
is now. A participant's status change from the results page is
last-writer-wins instead (:func:`set_action_status`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from sqlmodel import Session

from app.accounts import policy
from app.accounts.models import User
from app.assessments import service as assessments
from app.coaching import access, repository
from app.coaching.calibration import behaviors_by_id, suggested_action
from app.coaching.documents import plan_entry_document
from app.coaching.models import ActionStatus, PlanAction, PlanActionEvent
from app.coaching.state import ActionRecord, Audience, EventRecord, PlanEntry
from app.core import events
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.text_fields import checked_text
from app.core.timeutils import utcnow
from app.core.versioning import VersionConflict, claim_version, conflict_of

#: Fields of a plan action a PATCH may change; a participant may change only ``status``.
EDITABLE = ("title", "behavior_id", "success_measure", "due_date", "status")
PARTICIPANT_EDITABLE = frozenset({"status"})
TITLE_MAX = 300


# --- reading ---------------------------------------------------------------------------


def load_plan(session: Session, *, participant_id: int, audience: Audience) -> list[PlanEntry]:
    """A participant's actions, oldest first, with names and history.

    The participant sees only actions from finalized sessions; the coach side
    sees those still being agreed in a session in progress too.
    """
    actions = repository.plan_actions_of(
        session, participant_id, final_only=audience is Audience.participant
    )
    return _entries(session, actions)


def _entries(session: Session, actions: list[PlanAction]) -> list[PlanEntry]:
    """Plain entries with history and behavior names: four statements for any number."""
    if not actions:
        return []
    ids = [a.id for a in actions if a.id is not None]
    events = repository.events_of(session, ids)
    actors = access.people(session, *(e.actor_id for e in events))
    history: dict[int, list[EventRecord]] = {i: [] for i in ids}
    for event in events:
        actor = actors.get(event.actor_id) if event.actor_id is not None else None
        history[event.action_id].append(EventRecord.of(event, actor))
    summaries = assessments.find_assessments(
        session=session, assessment_ids={a.assessment_id for a in actions}
    )
    names = {s.id: {b.id: b.name for b in behaviors_by_id(s.rubric).values()} for s in summaries}
    return [
        PlanEntry(
            action=ActionRecord.of(a),
            behavior_name=names[a.assessment_id].get(a.behavior_id) if a.behavior_id else None,
            events=history.get(a.id or 0, []),
        )
        for a in actions
    ]


def entry_of(session: Session, action: PlanAction) -> PlanEntry:
    return _entries(session, [action])[0]


def get_plan(*, session: Session, user: User, participant_id: int) -> list[PlanEntry]:
    """The participant's plan for them (agreed actions), their coach or an admin."""
    audience = access.audience_for(
        session=session, user=user, participant_id=participant_id, what="Participant"
    )
    access.load_participant(session, participant_id)
    return load_plan(session, participant_id=participant_id, audience=audience)


# --- writing ---------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _check_behavior(
    behavior_id: str | None, known: Mapping[str, object], loc: list[str | int]
) -> None:
    if behavior_id is not None and behavior_id not in known:
        raise InvalidInput(
            f"Unknown behavior '{behavior_id}'",
            errors=[field_error(loc, N_("not a behavior of this assessment's rubric"))],
        )


def _clean_title(title: str | None) -> str:
    cleaned = (title or "").strip()
    if not cleaned:
        raise InvalidInput(
            N_("A plan action needs a title"),
            errors=[field_error(["body", "title"], N_("must not be empty"))],
        )
    return checked_text(
        cleaned, loc=["body", "title"], max_length=TITLE_MAX, refusal=N_("The title is too long")
    )


def add_plan_action(
    *,
    session: Session,
    user: User,
    review_id: int,
    title: str | None,
    behavior_id: str | None = None,
    success_measure: str = "",
    due_date: date | None = None,
    status: ActionStatus = ActionStatus.planned,
    suggestion: Mapping[str, Any] | None = None,
) -> PlanEntry:
    """Add an action to the participant's plan in a session in progress (coach only).

    With ``suggestion`` (``behavior_id``, ``level`` id, ``index``) the action
    starts from that coaching action of the rubric: its text is the title
    unless one is given, and its behavior is the suggestion's.
    """
    review = access.load_review(session, review_id)
    policy.ensure_coach_of(
        session=session, user=user, participant_id=review.participant_id, what=access.REVIEW
    )
    if review.is_final:
        raise Conflict(N_("Finalized reviews are read-only: add the action in a new session"))
    assessment = access.load_assessment(session, review.assessment_id)
    behaviors = behaviors_by_id(assessment.rubric)
    from_suggestion = suggestion is not None
    if suggestion is not None:
        sid = str(suggestion["behavior_id"])
        _check_behavior(sid, behaviors, ["body", "suggestion", "behavior_id"])
        text = suggested_action(behaviors[sid], str(suggestion["level"]), int(suggestion["index"]))
        if text is None:
            raise InvalidInput(
                N_("No such coaching action"),
                errors=[
                    field_error(
                        ["body", "suggestion", "index"],
                        N_("this behavior has no coaching action at that level and index"),
                    )
                ],
            )
        if behavior_id is not None and behavior_id != sid:
            raise InvalidInput(
                N_("behavior_id and the suggestion's behavior differ"),
                errors=[
                    field_error(["body", "behavior_id"], N_("must match suggestion.behavior_id"))
                ],
            )
        behavior_id = sid
        title = title if title and title.strip() else text
    _check_behavior(behavior_id, behaviors, ["body", "behavior_id"])
    assert user.id is not None and review.id is not None
    action = PlanAction(
        participant_id=review.participant_id,
        review_id=review.id,
        assessment_id=assessment.id,
        behavior_id=behavior_id,
        title=_clean_title(title),
        success_measure=success_measure.strip(),
        due_date=due_date,
        status=ActionStatus(status).value,
        from_suggestion=from_suggestion,
    )
    session.add(action)
    session.flush()
    assert action.id is not None
    session.add(
        PlanActionEvent(
            action_id=action.id, actor_id=user.id, field="created", new_value=action.title
        )
    )
    session.flush()
    _published(session, action, ["created"])
    return entry_of(session, action)


def _stale(session: Session, action: PlanAction, expected: int) -> Exception:
    """409 with the action as it is now (``current``: the API's ``PlanActionOut`` shape)."""
    assert action.id is not None
    return conflict_of(
        repository.get_action(session, action.id, fresh=True),
        what="action",
        expected=expected,
        retry="Re-apply your change",
        missing=f"{access.ACTION} not found",
        state=partial(entry_of, session),
        shown=plan_entry_document,
    )


def update_plan_action(
    *,
    session: Session,
    user: User,
    action_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> PlanEntry:
    """Change some fields of a plan action, recording each change in its history.

    ``changes`` holds only the fields the caller sent (``None`` clears
    ``behavior_id`` or ``due_date``). The participant may send only
    ``status`` (422 naming any other field); the coach side any of
    :data:`EDITABLE`. Stale ``expected_version``: 409 with the current action.
    """
    action = access.load_action(session, action_id)
    audience = access.audience_for(
        session=session, user=user, participant_id=action.participant_id, what=access.ACTION
    )
    review = access.load_review(session, action.review_id)
    if audience is Audience.participant and not review.is_final:
        raise NotFound(f"{access.ACTION} not found")  # not shown to them yet
    if audience is Audience.participant:
        forbidden = [f for f in changes if f not in PARTICIPANT_EDITABLE]
        if forbidden:
            raise InvalidInput(
                N_("You can change the status of your actions; your coach changes the rest"),
                errors=[
                    field_error(["body", f], N_("only your coach can change this"))
                    for f in forbidden
                ],
            )
    values = _validated_changes(session, action, changes)
    applied = {f: v for f, v in values.items() if getattr(action, f) != v}
    if not applied:
        if action.version != expected_version:
            raise _stale(session, action, expected_version)
        return entry_of(session, action)
    now = utcnow()
    claim_version(
        session,
        action,
        expected=expected_version,
        now=now,
        conflict=lambda: _stale(session, action, expected_version),
    )
    assert action.id is not None
    for field, value in applied.items():
        session.add(
            PlanActionEvent(
                action_id=action.id,
                actor_id=user.id,
                at=now,
                field=field,
                old_value=_text(getattr(action, field)),
                new_value=_text(value),
            )
        )
        setattr(action, field, value)
    session.add(action)
    session.flush()
    _published(session, action, sorted(applied))
    return entry_of(session, action)


def _published(session: Session, action: PlanAction, changed: list[str]) -> None:
    """Say that ``action`` changed: ids, status and due date, never its texts."""
    assert action.id is not None
    events.publish(
        session=session,
        name=events.PLAN_ACTION_UPDATED,
        data={
            "action_id": action.id,
            "participant_id": action.participant_id,
            "review_id": action.review_id,
            "status": action.status,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "changed": changed,
            "version": action.version,
        },
    )


def _validated_changes(
    session: Session, action: PlanAction, changes: Mapping[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in EDITABLE:
            raise InvalidInput(
                f"Unknown field {field}", errors=[field_error(["body", field], N_("not editable"))]
            )
        if field == "title":
            values[field] = _clean_title(value)
        elif field == "status":
            if value not in {s.value for s in ActionStatus}:
                raise InvalidInput(
                    N_("Unknown status"),
                    errors=[field_error(["body", "status"], "one of: " + ", ".join(ActionStatus))],
                )
            values[field] = ActionStatus(value).value
        elif field == "success_measure":
            values[field] = (value or "").strip()
        elif field == "behavior_id":
            assessment = access.load_assessment(session, action.assessment_id)
            _check_behavior(value, behaviors_by_id(assessment.rubric), ["body", field])
            values[field] = value
        else:
            values[field] = value
    return values


def set_action_status(
    *, session: Session, user: User, action_id: int, expected_version: int, status: str
) -> PlanEntry:
    """Change only the status, last writer wins (the results page's small status form).

    A stale version is not worth an error page here: status is a single
    value, so the latest choice wins over a change made meanwhile, which
    stays in the history like any other. Only the version claim is retried
    (once, on the version the conflict names), so every other rule of
    :func:`update_plan_action` applies unchanged.
    """
    try:
        with session.begin_nested():
            return update_plan_action(
                session=session,
                user=user,
                action_id=action_id,
                expected_version=expected_version,
                changes={"status": status},
            )
    except VersionConflict as conflict:
        return update_plan_action(
            session=session,
            user=user,
            action_id=action_id,
            expected_version=conflict.version,
            changes={"status": status},
        )
