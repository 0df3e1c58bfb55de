"""Coach review sessions: start, autosave, finalize, read.

Concurrency is the questionnaire's: every write first *claims* the review with
``UPDATE coach_reviews SET version = version + 1 ... WHERE id = :id AND
version = :expected AND status = 'draft'``. The database decides atomically,
across workers, which of two writers based on the same version wins; the
loser gets :class:`~app.core.versioning.VersionConflict` (409) with the
review as it is now (:func:`app.core.versioning.claim_version`). A
finalized review matches no row either: it is read-only. Queries are in
:mod:`.repository`.

Who may do what (through :mod:`app.accounts.policy`, see :mod:`.access`):
the assigned coach or an admin starts, edits and finalizes sessions and sees
everything; the participant reads only *finalized* sessions, in the shared
shape without private notes; anyone else gets 404.

Ratings are level *orders*: a coach rating is 0 ("Not yet") or a level the
behavior defines -- the same values the self-assessment can produce, so the
two compare level for level; a target must be a level the behavior defines.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.accounts import policy
from app.accounts.models import User
from app.assessments import service as assessments
from app.assessments.state import AssessmentState, AssessmentSummary
from app.audit.actions import Action, Target
from app.audit.service import record_viewed
from app.coaching import access, repository
from app.coaching.documents import review_document
from app.coaching.models import CoachReview, ReviewRating, ReviewStatus
from app.coaching.plan import load_plan
from app.coaching.rating_input import RATING_FIELDS, validate_ratings
from app.coaching.state import (
    Audience,
    RatingRecord,
    ReviewRecord,
    ReviewState,
    ReviewSummary,
    SharedReview,
)
from app.core import events
from app.core.exceptions import Conflict, InvalidInput, NotFound, field_error
from app.core.i18n import N_
from app.core.versioning import claim_version, conflict_of

# --- reading ---------------------------------------------------------------------------


def review_state(
    session: Session,
    review: CoachReview,
    audience: Audience,
    assessment: AssessmentSummary | None = None,
) -> ReviewState:
    """The plain state of a review for ``audience`` (private notes for the coach side only).

    A fixed number of statements: the assessment (unless given), both people
    in one, the ratings, and the plan.
    """
    assert review.id is not None
    if assessment is None:
        assessment = access.load_assessment(session, review.assessment_id)
    people = access.people(session, review.participant_id, review.coach_id)
    return ReviewState(
        review=ReviewRecord.of(review),
        assessment=assessment.assessment,
        rubric_version=assessment.rubric_version,
        rubric=assessment.rubric,
        participant=people[review.participant_id],
        coach=people.get(review.coach_id) if review.coach_id is not None else None,
        ratings={
            bid: RatingRecord.of(r) for bid, r in repository.ratings_of(session, review.id).items()
        },
        plan=load_plan(session, participant_id=review.participant_id, audience=audience),
        audience=audience,
        private_notes=review.private_notes if audience is Audience.coach else None,
    )


def get_review(*, session: Session, user: User, review_id: int) -> ReviewState:
    """A session for its coach or an admin (everything) or its participant (finalized only)."""
    review, audience = _viewed_review(session=session, user=user, review_id=review_id)
    return review_state(session, review, audience)


def get_review_with_answers(
    *, session: Session, user: User, review_id: int
) -> tuple[ReviewState, AssessmentState | None]:
    """:func:`get_review` plus, on the coach side, the assessment with its answers (the
    workspace page), read once: both share one record, so the stored result is decoded
    and validated once, not twice. ``None`` for the participant (sent to the results)."""
    review, audience = _viewed_review(session=session, user=user, review_id=review_id)
    if audience is Audience.participant:
        return review_state(session, review, audience), None
    answered = assessments.get_assessment_for(
        session=session, user=user, assessment_id=review.assessment_id
    )
    return review_state(session, review, audience, answered.summary), answered


def _viewed_review(*, session: Session, user: User, review_id: int) -> tuple[CoachReview, Audience]:
    """The review and who is looking, 404 if they may not, recorded as viewed."""
    review = access.load_review(session, review_id)
    audience = access.audience_for(
        session=session, user=user, participant_id=review.participant_id, what=access.REVIEW
    )
    if audience is Audience.participant and not review.is_final:
        raise NotFound(f"{access.REVIEW} not found")
    record_viewed(
        session=session,
        viewer_id=user.id,
        action=Action.review_viewed,
        subject_user_id=review.participant_id,
        target_type=Target.review,
        target_id=review.id,
    )
    return review, audience


def get_review_for_coach(*, session: Session, user: User, review_id: int) -> ReviewState:
    """A session for its coach or an admin only (the workspace forms); 404 for anyone else."""
    review = access.load_review(session, review_id)
    policy.ensure_coach_of(
        session=session, user=user, participant_id=review.participant_id, what=access.REVIEW
    )
    return review_state(session, review, Audience.coach)


def list_reviews(*, session: Session, user: User, assessment_id: int) -> list[ReviewSummary]:
    """An assessment's sessions, oldest first; the participant sees finalized ones only."""
    assessment = access.load_assessment(session, assessment_id).assessment
    audience = access.audience_for(
        session=session, user=user, participant_id=assessment.participant_id, what="Assessment"
    )
    reviews = repository.reviews_of(
        session, assessment_id=assessment_id, final_only=audience is Audience.participant
    )
    coaches = access.people(session, *(r.coach_id for r in reviews))
    return [
        ReviewSummary(
            review=ReviewRecord.of(r),
            coach=coaches.get(r.coach_id) if r.coach_id is not None else None,
            assessment=assessment,
        )
        for r in reviews
    ]


def latest_shared_review(
    *, session: Session, user: User, assessment_id: int
) -> SharedReview | None:
    """The newest *finalized* session of an assessment in the shared shape, or ``None``.

    For the participant's results page: even a coach looking at it gets the
    participant audience here, so the page shows exactly what the participant
    sees, and the type has no field for private notes.
    """
    assessment = access.load_assessment(session, assessment_id)
    return shared_review_for(session=session, user=user, assessment=assessment)


def shared_review_for(
    *, session: Session, user: User, assessment: AssessmentSummary
) -> SharedReview | None:
    """:func:`latest_shared_review` of an assessment the page has loaded already.

    The results page and the home have its history line in hand; reading it
    again took two statements and another decode of its stored result
    (docs/benchmarks.md, HTML pages). The access check is the same.
    """
    pid = assessment.assessment.participant_id
    policy.ensure_can_view(session=session, user=user, participant_id=pid, what="Assessment")
    return shared_review_of(session=session, assessment=assessment)


def shared_review_of(*, session: Session, assessment: AssessmentSummary) -> SharedReview | None:
    """The newest finalized review's shared parts; the caller has authorized the assessment."""
    review = repository.latest_final(session, assessment.id)
    if review is None:
        return None
    return review_state(session, review, Audience.participant, assessment).shared()


# --- writing ---------------------------------------------------------------------------


def start_review(*, session: Session, user: User, assessment_id: int) -> ReviewState:
    """Open a session on a submitted assessment (assigned coach or admin).

    409 while the assessment is in progress, or when a session on it is
    already in progress (``review_id`` names it). A follow-up session on an
    assessment that was reviewed before starts from the last finalized
    ratings and targets, so the coach adjusts instead of retyping.
    """
    found = access.load_assessment(session, assessment_id)
    assessment = found.assessment
    policy.ensure_coach_of(
        session=session, user=user, participant_id=assessment.participant_id, what="Assessment"
    )
    if not assessment.is_submitted:
        raise Conflict(N_("The assessment is not submitted yet: there is nothing to review"))
    open_review = repository.open_draft(session, assessment_id)
    if open_review is not None:
        raise Conflict(N_("A session on this assessment is in progress"), review_id=open_review.id)
    previous = repository.latest_final(session, assessment_id)
    review = CoachReview(
        assessment_id=assessment_id, participant_id=assessment.participant_id, coach_id=user.id
    )
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError:  # another request opened one at the same moment
        raise Conflict(N_("A session on this assessment is in progress")) from None
    assert review.id is not None
    if previous is not None and previous.id is not None:
        for old in repository.ratings_of(session, previous.id).values():
            copied = {name: getattr(old, name) for name in ("behavior_id", *RATING_FIELDS)}
            session.add(ReviewRating(review_id=review.id, **copied))
    session.flush()
    return review_state(session, review, Audience.coach, found)


def open_review(*, session: Session, user: User, assessment_id: int) -> ReviewState:
    """The session in progress on an assessment, or a new one (the pages' "Review" button).

    Same checks as :func:`start_review`; a second click, or a second coach
    tab, lands in the same session instead of an error.
    """
    found = access.load_assessment(session, assessment_id)
    pid = found.assessment.participant_id
    policy.ensure_coach_of(session=session, user=user, participant_id=pid, what="Assessment")
    open_review = repository.open_draft(session, assessment_id)
    if open_review is not None:
        return review_state(session, open_review, Audience.coach, found)
    return start_review(session=session, user=user, assessment_id=assessment_id)


def _coached_draft(session: Session, user: User, review_id: int) -> CoachReview:
    review = access.load_review(session, review_id)
    policy.ensure_coach_of(
        session=session, user=user, participant_id=review.participant_id, what=access.REVIEW
    )
    return review


def _conflict(session: Session, review: CoachReview, expected: int) -> Exception:
    """409 with the review as it is now (``current``: the coach's ``CoachReviewOut`` shape)."""
    assert review.id is not None
    return conflict_of(
        repository.get_review(session, review.id, fresh=True),
        what="review",
        expected=expected,
        retry="Merge your unsaved changes",
        missing=f"{access.REVIEW} not found",
        state=lambda current: review_state(session, current, Audience.coach),
        shown=partial(review_document, coach_shape=True),
        closed=lambda current: "Finalized reviews are read-only" if current.is_final else None,
    )


def _claim(session: Session, review: CoachReview, expected: int) -> None:
    """Atomically bump the version if it is still ``expected`` and the review a draft."""
    draft = col(CoachReview.status) == ReviewStatus.draft.value
    conflict = partial(_conflict, session, review, expected)
    claim_version(session, review, expected=expected, conditions=(draft,), conflict=conflict)


def save_review(
    *,
    session: Session,
    user: User,
    review_id: int,
    expected_version: int,
    shared_notes: str | None = None,
    private_notes: str | None = None,
    ratings: Mapping[str, Mapping[str, Any]] | None = None,
) -> ReviewState:
    """Autosave part of a session based on ``expected_version``.

    ``ratings`` maps behavior id to only the fields sent (``None`` clears a
    level or text); notes are replaced when given. Everything is validated
    first (422 naming each field); stale or finalized: 409 with the current
    review. Returns the new state (version + 1).
    """
    review = _coached_draft(session, user, review_id)
    ratings = ratings or {}
    if review.is_final:
        raise _conflict(session, review, expected_version)
    validate_ratings(session, review, ratings)
    if not ratings and shared_notes is None and private_notes is None:
        if review.version != expected_version:
            raise _conflict(session, review, expected_version)
        return review_state(session, review, Audience.coach)
    _claim(session, review, expected_version)
    if shared_notes is not None:
        review.shared_notes = shared_notes
    if private_notes is not None:
        review.private_notes = private_notes
    session.add(review)
    assert review.id is not None
    current = repository.ratings_of(session, review.id)
    for behavior_id, fields in ratings.items():
        row = current.get(behavior_id) or ReviewRating(review_id=review.id, behavior_id=behavior_id)
        for name, value in fields.items():
            if name in ("rationale", "evidence"):
                value = (value or "").strip()
            setattr(row, name, value)
        session.add(row)
    session.flush()
    return review_state(session, review, Audience.coach)


def finalize_review(
    *, session: Session, user: User, review_id: int, expected_version: int
) -> ReviewState:
    """Mark a session complete: read-only from now on, and shown to the participant.

    Every behavior needs a coach rating first (422 listing the unrated ones):
    a finalized review is the calibrated record the plan and reports build on.
    """
    review = _coached_draft(session, user, review_id)
    _claim(session, review, expected_version)
    state = review_state(session, review, Audience.coach)
    if state.unrated:
        raise InvalidInput(
            f"{len(state.unrated)} behavior(s) not rated yet; rate every behavior to finalize",
            errors=[
                field_error(["ratings", bid, "coach_level"], N_("not rated"), "missing")
                for bid in state.unrated
            ],
        )
    review.status = ReviewStatus.final.value
    review.finalized_at = review.updated_at
    session.add(review)
    session.flush()
    assert review.id is not None
    events.publish(
        session=session,
        name=events.REVIEW_FINALIZED,
        data={
            "review_id": review.id,
            "assessment_id": review.assessment_id,
            "participant_id": review.participant_id,
            "coach_id": review.coach_id,
            "finalized_at": review.finalized_at.isoformat(),
        },
    )
    return review_state(session, review, Audience.coach)


def coach_levels_statement() -> Select[Any]:
    """The coach level per (assessment, behavior) of finalized reviews, to aggregate over."""
    return repository.coach_levels()
