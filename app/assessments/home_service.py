"""What the participant's home reads: one page of the history and the latest results.

The home never loads the whole history: the list is a cursor page (newest
first, :data:`HISTORY_PAGE_SIZE` rows), and the "latest result per rubric"
summary is its own query that reads one assessment per rubric
(:func:`app.assessments.repository.latest_submitted_per_rubric`), so it stays
right on every page, whatever the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import User
from app.assessments import repository
from app.assessments.state import AssessmentSummary
from app.core.pagination import DEFAULT_LIMIT, Page, decode_cursor

#: History rows per page of the home (the API's default page size).
HISTORY_PAGE_SIZE = DEFAULT_LIMIT


@dataclass(frozen=True)
class HomeData:
    """One page of the home: the history page, the latest results, the rubric used last."""

    history: Page[AssessmentSummary]
    #: The newest submitted assessment of each rubric, newest first.
    latest: list[AssessmentSummary]
    preferred_rubric: str | None


def my_home(*, session: Session, user: User, after: str | None) -> HomeData:
    """The signed-in participant's own home page data (``after``: the history cursor).

    A constant number of statements, whatever the length of the history.
    """
    assert user.id is not None
    history = repository.summaries_page(
        session,
        participant_id=user.id,
        after=decode_cursor(after, scope=repository.history_scope(user.id)),
        limit=HISTORY_PAGE_SIZE,
        newest_first=True,
    )
    return HomeData(
        history=history,
        latest=repository.latest_submitted_per_rubric(session, participant_id=user.id),
        preferred_rubric=repository.newest_rubric_id(session, participant_id=user.id),
    )
