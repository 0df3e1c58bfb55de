"""The no-JavaScript form posts of the questionnaire: parse the form, call the service.

Two posts: one questionnaire section (:func:`save_section`) and the
submission from the review page (:func:`submit_from_review`). Each parses
the form, calls the service inside a savepoint (so a refusal undoes its
version claim and the request's transaction goes on), and returns either
where to go or the page model to show again.

Saving one questionnaire section posted as a plain HTML form:

Without JavaScript each section is a form: it posts the checked radios, the
version the page was rendered at, and -- in hidden ``o.<item id>`` fields --
the answer each item *showed* when the page was rendered. Only items whose
posted answer differs from what was shown are sent to the versioned save;
re-posting an unchanged answer is not a change and cannot overwrite anything.

**A stale version (another tab or device saved meanwhile): a per-item
three-way merge.** For each changed item we compare the server's current
answer with the one the page showed:

* unchanged on the server since the page was rendered -> the person's answer
  is applied on top of the current version (nobody else touched that item);
* already equal to the person's answer -> nothing to do;
* changed on the server to something else -> a real conflict: that item is
  *not* saved, and the section is shown again with the server's answer
  selected, the person's choice named next to it and a clear message, so they
  decide. The non-conflicting answers of the same post are saved.

So no answer is overwritten unseen and none is lost silently. The merge
needs no per-item history: the page itself carries the base of the merge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import service
from app.assessments.page_models import (
    ItemConflict,
    QuestionnaireView,
    ReviewView,
    build_questionnaire,
    build_review,
)
from app.assessments.questionnaire import FIELD_PREFIX, answer_text, build_sections, field_name
from app.assessments.state import AssessmentState
from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_
from app.core.types import MAX_ID, parse_bounded_int
from app.core.versioning import VersionConflict
from app.scoring import ResponseValue, parse_response_value, validate_responses

SHOWN_PREFIX = "o."
#: Each retry follows a newer save by someone else; three in a row is pathological.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class SectionPost:
    section: int
    version: int
    #: item id -> the posted answer as text ("4", "n/a"); unchecked items are absent.
    answers: dict[str, str]
    #: item id -> the answer the page showed ("" when it showed none).
    shown: dict[str, str]


def _int_field(form: Mapping[str, str], name: str) -> int:
    value = parse_bounded_int(form.get(name, "").strip(), lo=1, hi=MAX_ID)
    if value is None:
        raise InvalidInput(
            f"The form's {name} is missing or invalid; reload the page",
            errors=[field_error(["body", name], "expected a positive whole number")],
        )
    return value


def parse_section_form(form: Mapping[str, str]) -> SectionPost:
    """Read a posted section; a malformed version or section number is a 422."""
    answers: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, value in form.items():
        if name.startswith(FIELD_PREFIX):
            answers[name.removeprefix(FIELD_PREFIX)] = value.strip()
        elif name.startswith(SHOWN_PREFIX):
            shown[name.removeprefix(SHOWN_PREFIX)] = value.strip()
    return SectionPost(
        section=_int_field(form, "section"),
        version=_int_field(form, "version"),
        answers=answers,
        shown=shown,
    )


@dataclass(frozen=True)
class SectionSaved:
    state: AssessmentState
    #: Set when the section has to be shown again (conflicting answers); else redirect.
    again: QuestionnaireView | None = None


def _parsed(changes: Mapping[str, str]) -> dict[str, ResponseValue | None]:
    values: dict[str, ResponseValue | None] = {}
    errors = []
    for item_id, text in changes.items():
        try:
            values[item_id] = parse_response_value(text)
        except ValueError as exc:
            errors.append(field_error(["body", field_name(item_id)], str(exc)))
    if errors:
        raise InvalidInput(
            "Some answers could not be read: " + "; ".join(e["msg"] for e in errors), errors=errors
        )
    return values


def save_section(
    *, session: Session, user: User, assessment_id: int, post: SectionPost
) -> SectionSaved:
    """Save the changed answers of one section, merging onto newer saves (module docstring)."""
    state = service.get_own_assessment(session=session, user=user, assessment_id=assessment_id)
    if state.assessment.is_submitted:
        return SectionSaved(state)
    sections = build_sections(state.rubric)
    number = min(max(post.section, 1), len(sections))
    in_section = set(sections[number - 1].item_ids)
    changes = {
        item_id: value
        for item_id, value in post.answers.items()
        if item_id in in_section and value and value != post.shown.get(item_id, "")
    }
    values = _parsed(changes)
    problems = validate_responses(state.rubric, values)
    if problems:  # only a hand-made post gets here: the form offers the scale only
        raise InvalidInput(
            "Some answers cannot be accepted: " + "; ".join(map(str, problems)),
            errors=[field_error(["body", field_name(p.item_id)], p.message) for p in problems],
        )
    conflicts: dict[str, ItemConflict] = {}
    version = post.version
    for _ in range(MAX_ATTEMPTS):
        if not values:
            break
        try:
            with session.begin_nested():
                state = service.save_responses(
                    session=session,
                    user=user,
                    assessment_id=assessment_id,
                    expected_version=version,
                    responses=values,
                )
            values = {}
        except VersionConflict as conflict:
            state = conflict.state
            if state.assessment.is_submitted:
                return SectionSaved(state)
            version = state.version
            for item_id in list(values):
                theirs = answer_text(state.responses.get(item_id))
                if theirs == changes[item_id]:
                    del values[item_id]
                elif (theirs or "") != post.shown.get(item_id, ""):
                    conflicts[item_id] = ItemConflict(yours=changes[item_id], theirs=theirs)
                    del values[item_id]
    if values:  # still unsaved after MAX_ATTEMPTS: show them again rather than drop them
        conflicts.update(
            {
                i: ItemConflict(yours=changes[i], theirs=answer_text(state.responses.get(i)))
                for i in values
            }
        )
    if conflicts:
        return SectionSaved(state, build_questionnaire(state, number, conflicts))
    return SectionSaved(state)


# --- submit from the review page -----------------------------------------------------------


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
    except VersionConflict as conflict:
        current: AssessmentState = conflict.state
        if current.assessment.is_submitted:
            return SubmitOutcome(current, None)
        note = N_(
            "Your answers changed in another tab or device since this page was loaded. "
            "Check them below and submit again."
        )
        return SubmitOutcome(current, build_review(current, note))
    except InvalidInput as refused:
        state = service.get_own_assessment(session=session, user=user, assessment_id=assessment_id)
        return SubmitOutcome(state, build_review(state, refused.detail))
    return SubmitOutcome(state, None)
