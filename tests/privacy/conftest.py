"""Two people with a bit of everything, for the export and erasure tests.

Each person has a submitted assessment with a finalized review (shared and
private notes), a plan action, a feedback request with submitted raters, a
cohort membership and a notification choice; every text carries the person's
own marker, so a search can tell whose data a response holds.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session, col, select

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.accounts.preferences import update_preferences
from app.feedback.models import FeedbackInvitation, FeedbackRequest
from app.programmes import cohorts
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.factories import UserFactory
from tests.fixtures.feedback_raters import Rater, store_raters
from tests.fixtures.reviews import finalize_a_review


@dataclass
class Person:
    user: User
    marker: str
    assessment_ids: list[int]
    review_id: int
    cohort_name: str
    #: Texts only this person's data holds (notes, plan, cohort, comments about them).
    texts: list[str] = field(default_factory=list)
    private_note: str = ""
    rater_emails: list[str] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def name(self) -> str:
        return self.user.display_name


#: What each of three peers (the threshold) picked on ``mini``'s behaviors.
PEER_LEVELS = {"planning": 1, "review": 0}


def build_person(
    session: Session,
    *,
    make_user: UserFactory,
    submitted: SubmitFactory,
    coach: User,
    admin: User,
    marker: str,
) -> Person:
    user = make_user(Role.participant, email=f"{marker.lower()}@example.test")
    user.display_name = f"Person {marker}"
    session.add(user)
    session.commit()
    accounts.assign_coach(session=session, coach=coach, participant=user)
    aid = submitted(user)
    draft = submitted(user, submit=False)
    review_id = finalize_a_review(
        session,
        coach,
        aid,
        shared_notes=f"Shared-{marker}",
        private_notes=f"Private-{marker}",
        action_title=f"Action-{marker}",
    )
    raters = [
        Rater(group="peers", levels=PEER_LEVELS, comments={"planning": f"Comment-{marker}-{n}"})
        for n in range(3)
    ]
    store_raters(session, assessment_id=aid, raters=raters)
    cohort = cohorts.create_cohort(session=session, actor=admin, name=f"Cohort-{marker}")
    assert cohort.id is not None and user.id is not None
    cohorts.add_member(
        session=session, actor=admin, cohort_id=cohort.id, user_id=user.id, coach_id=None
    )
    update_preferences(session=session, user=user, changes={"plan_reminder": False})
    session.commit()
    request = session.exec(
        select(FeedbackRequest).where(col(FeedbackRequest.assessment_id) == aid)
    ).one()
    emails = [
        i.email
        for i in session.exec(
            select(FeedbackInvitation).where(col(FeedbackInvitation.request_id) == request.id)
        ).all()
    ]
    return Person(
        user=user,
        marker=marker,
        assessment_ids=[aid, draft],
        review_id=review_id,
        cohort_name=cohort.name,
        texts=[f"Shared-{marker}", f"Action-{marker}", cohort.name, f"Comment-{marker}-0"],
        private_note=f"Private-{marker}",
        rater_emails=emails,
    )


@pytest.fixture
def people(
    session: Session,
    make_user: UserFactory,
    submitted: SubmitFactory,
    coach: User,
    admin: User,
) -> tuple[Person, Person]:
    """Person A and person B, coached by the same coach."""
    build: Callable[[str], Person] = lambda marker: build_person(  # noqa: E731
        session, make_user=make_user, submitted=submitted, coach=coach, admin=admin, marker=marker
    )
    return build("ALPHA"), build("BRAVO")


def read_zip(content: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """``data.json`` parsed, and every other member's bytes by name."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        others = {n: archive.read(n) for n in names if n != "data.json"}
    return data, others
