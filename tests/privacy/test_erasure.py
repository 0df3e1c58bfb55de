"""After an erasure no page, API answer, report or export shows the person, while the
feedback aggregates of the person they rated still add up."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.coaching.models import CoachReview
from app.feedback.models import FeedbackAnswer, FeedbackInvitation, FeedbackOverall
from app.mail.models import MailMessage
from app.programmes.models import CohortMember
from tests.fixtures.api import Api
from tests.fixtures.factories import PASSWORD
from tests.fixtures.json_trees import without_key
from tests.fixtures.web import Browser
from tests.privacy.conftest import Person, read_zip


def _make_rater(session: Session, *, email: str, of: Person) -> int:
    """Turn one of ``of``'s submitted raters into ``email`` (the person about to be erased)."""
    invitation = session.exec(
        select(FeedbackInvitation).where(col(FeedbackInvitation.email) == of.rater_emails[0])
    ).one()
    invitation.email = email
    session.add(invitation)
    session.commit()
    assert invitation.id is not None
    return invitation.id


def test_an_erased_person_is_gone_everywhere_and_their_ratings_still_count(
    session: Session,
    people: tuple[Person, Person],
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
    client: TestClient,
    coach: User,
    admin: User,
) -> None:
    a, b = people
    invitation_id = _make_rater(session, email=b.email, of=a)
    results_url = f"/assessments/{a.assessment_ids[0]}/feedback/results"
    before = api_for(a.user).ok("GET", results_url)
    assert b.user.id is not None
    # Read before the erasure: afterwards the (same) row holds the tombstone's.
    bid, email, name = b.user.id, b.email, b.name

    api_for(admin).ok("POST", f"/users/{bid}/erase", 204)

    # The person's rows are gone; their account is an empty tombstone.
    session.expire_all()
    assert not session.exec(select(Assessment).where(col(Assessment.participant_id) == bid)).all()
    assert not session.exec(select(CoachReview).where(col(CoachReview.participant_id) == bid)).all()
    assert not session.exec(select(CohortMember).where(col(CohortMember.user_id) == bid)).all()
    assert not session.exec(select(MailMessage).where(col(MailMessage.to_address) == email)).all()
    tombstone = session.get(User, bid)
    assert tombstone is not None and not tombstone.is_active and tombstone.password_hash is None
    # As a rater: anonymous, levels kept, words gone.
    invitation = session.get(FeedbackInvitation, invitation_id)
    assert invitation is not None and invitation.email.endswith("@erased.invalid")
    answers = session.exec(
        select(FeedbackAnswer).where(col(FeedbackAnswer.invitation_id) == invitation_id)
    ).all()
    assert answers and all(x.comment is None for x in answers)
    assert session.get(FeedbackOverall, invitation_id) is None

    # A's feedback figures add up exactly as before.
    after = api_for(a.user).ok("GET", results_url)
    # Free text left out: what must stay equal is the figures.
    assert without_key(after, "comments") == without_key(before, "comments")

    # No response anyone can get names the person.
    admin_api, coach_api = api_for(admin), api_for(coach)
    admin_browser, coach_browser = browser_for(admin), browser_for(coach)
    responses = [
        admin_api.call("GET", "/users"),
        admin_api.call("GET", f"/users/{bid}"),
        coach_api.call("GET", "/coaching/participants"),
        api_for(a.user).call("GET", results_url),
        admin_browser.get("/admin"),
        admin_browser.get(f"/admin/users/{bid}"),
        admin_browser.get("/admin/assignments"),
        admin_browser.get("/admin/mail"),
        coach_browser.get("/coaching"),
        browser_for(a.user).get(f"/assessments/{a.assessment_ids[0]}/results"),
    ]
    for response in responses:
        assert response.status_code == 200, response.url
        for unwanted in (email, name, b.private_note, *b.texts):
            assert unwanted not in response.text, (unwanted, response.url)
    export, _ = read_zip(api_for(a.user).call("GET", "/me/export").content)
    assert email not in str(export) and name not in str(export)
    # A still has everything of theirs (the erasure touched only B).
    assert a.cohort_name in str(export) and f"Shared-{a.marker}" in str(export)

    # They cannot sign in, and erasing again finds nobody.
    token = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert token.status_code == 401
    assert admin_api.call("POST", f"/users/{bid}/erase").status_code == 404


def test_the_admin_page_asks_for_the_email_before_erasing(
    people: tuple[Person, Person], browser_for: Callable[[User], Browser], admin: User
) -> None:
    a, b = people
    email = b.email
    browser = browser_for(admin)
    person_page = browser.get(f"/admin/users/{b.user.id}")
    assert f'href="/admin/users/{b.user.id}/erase"' in person_page.text
    form = browser.get(f"/admin/users/{b.user.id}/erase")
    assert form.status_code == 200 and "confirm_email" in form.text
    refused = browser.post(f"/admin/users/{b.user.id}/erase", {"confirm_email": a.email})
    assert refused.status_code == 422
    assert a.email not in refused.text  # the typed value is not echoed
    done = browser.post(f"/admin/users/{b.user.id}/erase", {"confirm_email": email.upper()})
    assert done.status_code == 303 and done.headers["location"] == "/admin?done=erased"
    listing = browser.get("/admin?done=erased")
    assert "erased" in listing.text and email not in listing.text
    assert browser.get(f"/admin/users/{b.user.id}/erase").status_code == 404


def test_the_erasure_leaves_one_audit_record_of_ids_only(
    people: tuple[Person, Person], api_for: Callable[[User], Api], session: Session, admin: User
) -> None:
    _, b = people
    assert b.user.id is not None
    email, name = b.email, b.user.display_name
    assert api_for(admin).call("POST", f"/api/v1/users/{b.user.id}/erase").status_code == 204
    events = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "user.erased")).all()
    assert [(e.actor_id, e.subject_user_id, e.target_type, e.target_id) for e in events] == [
        (admin.id, b.user.id, "user", b.user.id)
    ]
    row = " ".join(str(v) for v in events[0].model_dump().values())
    assert email not in row and name not in row
