"""The rater's side: open a link, save answers as they go, submit once.

A rater has no account: their link's secret is the credential, and it opens
their own invitation and nothing else. What a link answers:

* unknown secret (never issued, or replaced by a resend/reminder): 404;
* cancelled invitation, expired link, closed request: 410, one worded
  message for all three (nothing tells them apart);
* submitted: the thank-you state, without the answers (they are never read
  back through the link once they count);
* otherwise the form with the rater's own draft.

Saves are versioned on the invitation (``claim_version``; a stale save is
409 with the current version), partial (only the behaviors sent change), and
move the invitation from ``invited`` to ``started``. Submitting requires a
choice (a level or "not observed") for every behavior of the rubric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, col

from app.accounts.credentials import hash_secret
from app.accounts.service import get_user
from app.assessments import service as assessments
from app.assessments.state import RubricRef
from app.core.config import get_settings
from app.core.exceptions import InvalidInput, NotFound, StepwiseError, field_error
from app.core.text_fields import too_long
from app.core.timeutils import utcnow
from app.core.versioning import claim_version, conflict_of
from app.feedback import repository
from app.feedback.models import (
    COMMENT_MAX_LENGTH,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackOverall,
    FeedbackRequest,
    InvitationStatus,
)
from app.rubrics.schemas import Behavior, Rubric

#: What a link that does not (any longer) open a form says: the same for every reason.
GONE = "This feedback link no longer works: it was withdrawn, it expired, or the request closed."
UNKNOWN = "This feedback link is not valid."
#: The 409 once the answers are in (or the link was withdrawn) while a form was open.
_CLOSED = "These answers were submitted already (or the link withdrawn): nothing changed."
#: The value of the "not observed" choice in forms and JSON.
NOT_OBSERVED = "not_observed"
#: The group whose raters may be told that their group can be shown on its own.
MANAGER_GROUP = "manager"


class LinkGone(StepwiseError):
    """410: the link existed but opens nothing any more (no detail on why)."""

    status_code = 410


@dataclass(frozen=True, slots=True)
class Anchor:
    """One choice of a behavior: a level's index (0-based in the rubric's levels) and wording."""

    index: int
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class RaterForm:
    """What a rater's page shows: who they rate, the rubric, their draft (unless submitted)."""

    invitation: FeedbackInvitation
    request: FeedbackRequest
    participant_name: str
    rubric: Rubric
    group_label: str
    #: True when this rater's group (the manager) may be shown below the threshold.
    shown_alone: bool
    min_raters: int
    answers: Mapping[str, FeedbackAnswer] = field(default_factory=dict)
    overall: FeedbackOverall | None = None
    #: The stored version ``rubric`` is, so the page can show it in the rater's locale.
    rubric_version: RubricRef | None = None

    @property
    def submitted(self) -> bool:
        return self.invitation.status == InvitationStatus.submitted.value

    @property
    def version(self) -> int:
        return self.invitation.version

    def anchors(self, behavior: Behavior) -> list[Anchor]:
        return anchors_of(self.rubric, behavior)

    def choice(self, behavior_id: str) -> str:
        """The saved choice as a form value: a level index, ``not_observed`` or ``""``."""
        answer = self.answers.get(behavior_id)
        if answer is None or not answer.is_answered:
            return ""
        return NOT_OBSERVED if answer.not_observed else str(answer.level_index)

    def comment(self, behavior_id: str) -> str:
        answer = self.answers.get(behavior_id)
        return (answer.comment or "") if answer is not None else ""

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers.values() if a.is_answered)

    @property
    def total(self) -> int:
        return sum(len(c.behaviors) for c in self.rubric.competencies)


def anchors_of(rubric: Rubric, behavior: Behavior) -> list[Anchor]:
    """The behavior's defined levels as anchors, lowest first, in rater wording where given."""
    indices = {level.id: i for i, level in enumerate(rubric.ordered_levels)}
    return [
        Anchor(
            index=indices[level.id],
            name=level.name,
            text=behavior.levels[level.id].rater_descriptor or behavior.levels[level.id].descriptor,
        )
        for level in rubric.behavior_levels(behavior)
    ]


@dataclass(frozen=True, slots=True)
class AnswersIn:
    """A (partial) save: choices and comments by behavior id, the overall comments if sent.

    A choice is a level index as text, ``not_observed``, or ``""`` (clear).
    """

    choices: Mapping[str, str] = field(default_factory=dict)
    comments: Mapping[str, str] = field(default_factory=dict)
    keep_doing: str | None = None
    start_doing: str | None = None


# --- opening a link -----------------------------------------------------------------


def _invitation(session: Session, secret: str) -> tuple[FeedbackInvitation, FeedbackRequest]:
    if not secret or len(secret) > 128:
        raise NotFound(UNKNOWN)
    invitation = repository.invitation_by_hash(session, token_hash=hash_secret(secret))
    if invitation is None:
        raise NotFound(UNKNOWN)
    request = repository.get_request(session, invitation.request_id)
    assert request is not None  # the foreign key cascades
    if invitation.status == InvitationStatus.submitted.value:
        return invitation, request
    if (
        invitation.status == InvitationStatus.cancelled.value
        or invitation.expires_at <= utcnow()
        or not request.is_open
    ):
        raise LinkGone(GONE)
    return invitation, request


def _form(session: Session, invitation: FeedbackInvitation, request: FeedbackRequest) -> RaterForm:
    summary = assessments.find_assessment(session=session, assessment_id=request.assessment_id)
    participant = get_user(session=session, user_id=summary.assessment.participant_id)
    settings = get_settings()
    answers: Mapping[str, FeedbackAnswer] = {}
    overall = None
    if invitation.status != InvitationStatus.submitted.value:
        assert invitation.id is not None
        answers, overall = repository.draft_of(session, invitation_id=invitation.id)
    return RaterForm(
        invitation=invitation,
        request=request,
        participant_name=participant.display_name,
        rubric=summary.rubric,
        group_label=settings.feedback_group_labels.get(invitation.group, invitation.group),
        shown_alone=settings.feedback_show_manager and invitation.group == MANAGER_GROUP,
        min_raters=settings.feedback_min_raters,
        answers=answers,
        overall=overall,
        rubric_version=summary.rubric_version,
    )


def open_rater_form(*, session: Session, secret: str) -> RaterForm:
    """The form behind a link (or its thank-you state); 404 / 410 as the module says."""
    invitation, request = _invitation(session, secret)
    return _form(session, invitation, request)


# --- saving ---------------------------------------------------------------------------


def _behaviors(rubric: Rubric) -> dict[str, Behavior]:
    return {b.id: b for c in rubric.competencies for b in c.behaviors}


def _text(value: str, loc: list[str | int], errors: list[dict[str, object]]) -> str:
    text = value.strip()
    if len(text) > COMMENT_MAX_LENGTH:
        errors.append(too_long(loc, COMMENT_MAX_LENGTH))
    return text


def _validate(rubric: Rubric, answers: AnswersIn) -> None:
    behaviors = _behaviors(rubric)
    errors: list[dict[str, object]] = []
    for behavior_id, choice in answers.choices.items():
        loc: list[str | int] = ["body", "choices", behavior_id]
        behavior = behaviors.get(behavior_id)
        if behavior is None:
            errors.append(field_error(loc, "is not a behavior of this rubric"))
            continue
        allowed = {str(a.index) for a in anchors_of(rubric, behavior)} | {NOT_OBSERVED, ""}
        if choice not in allowed:
            errors.append(field_error(loc, "must be one of the behavior's levels or not_observed"))
    for behavior_id, comment in answers.comments.items():
        loc = ["body", "comments", behavior_id]
        if behavior_id not in behaviors:
            errors.append(field_error(loc, "is not a behavior of this rubric"))
        else:
            _text(comment, loc, errors)
    for name in ("keep_doing", "start_doing"):
        value = getattr(answers, name)
        if value is not None:
            _text(value, ["body", name], errors)
    if errors:
        raise InvalidInput("Some answers could not be saved", errors=errors)


def _conflict(session: Session, invitation: FeedbackInvitation, expected: int) -> Exception:
    """409 with the link's version and status only: a rater's form shows nothing else."""
    return conflict_of(
        repository.get_invitation(session, invitation.id or 0, fresh=True),
        what="form",
        expected=expected,
        retry="Apply your answers",
        missing=UNKNOWN,
        state=lambda row: row,
        shown=lambda row: {"version": row.version, "status": row.status},
        closed=lambda row: None if row.is_live else _CLOSED,
    )


def _store(session: Session, invitation_id: int, form: RaterForm, answers: AnswersIn) -> None:
    drafts = dict(form.answers)
    for behavior_id in {*answers.choices, *answers.comments}:
        row = drafts.get(behavior_id) or FeedbackAnswer(
            invitation_id=invitation_id, behavior_id=behavior_id
        )
        if behavior_id in answers.choices:
            choice = answers.choices[behavior_id]
            row.not_observed = choice == NOT_OBSERVED
            row.level_index = int(choice) if choice not in ("", NOT_OBSERVED) else None
        if behavior_id in answers.comments:
            row.comment = answers.comments[behavior_id].strip() or None
        session.add(row)
    if answers.keep_doing is not None or answers.start_doing is not None:
        overall = form.overall or FeedbackOverall(invitation_id=invitation_id)
        if answers.keep_doing is not None:
            overall.keep_doing = answers.keep_doing.strip()
        if answers.start_doing is not None:
            overall.start_doing = answers.start_doing.strip()
        session.add(overall)


def save_rater_answers(
    *, session: Session, secret: str, expected_version: int, answers: AnswersIn
) -> RaterForm:
    """Save part of a rater's answers (autosave, or a page's plain post); not submitted."""
    invitation, request = _invitation(session, secret)
    form = _form(session, invitation, request)
    if form.submitted:
        raise _conflict(session, invitation, expected_version)
    _validate(form.rubric, answers)
    assert invitation.id is not None
    claim_version(
        session,
        invitation,
        expected=expected_version,
        conflict=lambda: _conflict(session, invitation, expected_version),
        conditions=(col(FeedbackInvitation.status).in_(repository.LIVE_STATUSES),),
    )
    _store(session, invitation.id, form, answers)
    if invitation.status == InvitationStatus.invited.value:
        invitation.status = InvitationStatus.started.value
        session.add(invitation)
    session.flush()
    return _form(session, invitation, request)


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    """A submit: the form as saved, and the behaviors still without a choice (none: submitted).

    An incomplete submit still *saves* what came with it, so the caller answers
    it without raising (a raise would roll the save back): the page shows the
    form again with the missing behaviors marked, the API a 422 it returns.
    """

    form: RaterForm
    missing: list[str]

    def problem(self) -> InvalidInput:
        return InvalidInput(
            f"{len(self.missing)} behavior(s) still need a choice (a level or not observed); "
            "your other answers are saved",
            errors=[
                field_error(["body", "choices", b], "choose a level or not observed")
                for b in self.missing
            ],
        )


def submit_rater_answers(
    *, session: Session, secret: str, expected_version: int, answers: AnswersIn
) -> SubmitOutcome:
    """Save what came with the submit, then submit if every behavior has a choice."""
    form = save_rater_answers(
        session=session, secret=secret, expected_version=expected_version, answers=answers
    )
    missing = [b for b in _behaviors(form.rubric) if not form.choice(b)]
    if missing:
        return SubmitOutcome(form=form, missing=missing)
    invitation = form.invitation
    invitation.status = InvitationStatus.submitted.value
    invitation.version += 1
    invitation.updated_at = utcnow()
    session.add(invitation)
    session.flush()
    return SubmitOutcome(form=_form(session, invitation, form.request), missing=[])
