"""Each audited action writes its one record: who, whose data, what; never a secret or text.

Views are recorded when someone other than the person looks (the owner reading
their own data is not); a request that fails records nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import Role, User
from app.audit.actions import Action
from app.audit.models import AuditEvent
from app.audit.service import record_erasure
from tests.fixtures.api import Api
from tests.fixtures.assessments import SubmitFactory
from tests.fixtures.audit import assert_no_text, audit_rows
from tests.fixtures.factories import UserFactory
from tests.fixtures.insights import add_cycle, add_member, new_group, take_part
from tests.fixtures.reviews import finalize_a_review

ApiFor = Callable[[User], Api]


def fields(event: AuditEvent) -> tuple[object, ...]:
    """Who, what, whose data, on what: the facts a test checks of a record."""
    return (
        event.actor_id,
        event.action,
        event.subject_user_id,
        event.target_type,
        event.target_id,
    )


PRIVATE = "Private: struggles with the quarterly plan"
SHARED = "Shared: a clear roadmap"


def test_a_coach_opening_a_review_is_recorded_and_the_participant_is_not(
    session: Session,
    participant: User,
    coach: User,
    submitted: SubmitFactory,
    api_for: ApiFor,
) -> None:
    assessment_id = submitted(participant)
    review_id = finalize_a_review(
        session,
        coach,
        assessment_id,
        shared_notes=SHARED,
        private_notes=PRIVATE,
        action_title="Write the plan",
    )
    session.commit()
    assert audit_rows(session) == []
    api_for(coach).ok("GET", f"/reviews/{review_id}")
    api_for(participant).ok("GET", f"/reviews/{review_id}")
    [event] = audit_rows(session)
    assert fields(event) == (coach.id, "review.viewed", participant.id, "review", review_id)
    assert event.request_id
    assert_no_text(event, PRIVATE, SHARED, "Write the plan")


def test_the_review_page_records_too_and_a_refused_look_records_nothing(
    session: Session,
    participant: User,
    coach: User,
    make_user: UserFactory,
    submitted: SubmitFactory,
    api_for: ApiFor,
    browser_for: Callable[[User], object],
) -> None:
    assessment_id = submitted(participant)
    review_id = api_for(coach).start(assessment_id)["id"]
    stranger = api_for(make_user(Role.coach))
    assert stranger.call("GET", f"/reviews/{review_id}").status_code == 404
    assert audit_rows(session) == []
    page = browser_for(coach).get(f"/coaching/reviews/{review_id}")  # type: ignore[attr-defined]
    assert page.status_code == 200
    [event] = audit_rows(session, Action.review_viewed)
    assert event.actor_id == coach.id and event.target_id == review_id


def test_a_report_read_by_the_coach_is_recorded_and_by_its_owner_not(
    session: Session,
    participant: User,
    coach: User,
    admin: User,
    submitted: SubmitFactory,
    api_for: ApiFor,
) -> None:
    assessment_id = submitted(participant)
    api_for(participant).call("GET", f"/assessments/{assessment_id}/report.html")
    assert audit_rows(session) == []
    preview = api_for(coach).call("GET", f"/assessments/{assessment_id}/report.html")
    assert preview.status_code == 200
    pdf = api_for(admin).call("GET", f"/assessments/{assessment_id}/report.pdf")
    assert pdf.status_code == 200
    previewed, downloaded = audit_rows(session)
    assert (previewed.action, previewed.actor_id) == ("report.previewed", coach.id)
    assert (downloaded.action, downloaded.actor_id) == ("report.downloaded", admin.id)
    for event in (previewed, downloaded):
        assert event.subject_user_id == participant.id
        assert (event.target_type, event.target_id) == ("assessment", assessment_id)
        assert_no_text(event)


def test_an_opened_share_link_is_recorded_without_its_secret(
    client: TestClient,
    session: Session,
    participant: User,
    submitted: SubmitFactory,
    api_for: ApiFor,
) -> None:
    assessment_id = submitted(participant)
    link = api_for(participant).ok(
        "POST", f"/assessments/{assessment_id}/share-links", 201, json={"expires_in_days": 7}
    )
    secret = link["url"].rsplit("/shared/", 1)[1]
    assert audit_rows(session) == []
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/shared/{secret}").status_code == 200
    assert anonymous.get("/shared/not-a-link").status_code == 404
    [event] = audit_rows(session)
    assert fields(event) == (None, "share_link.opened", participant.id, "share_link", link["id"])
    assert_no_text(event, secret)


def test_a_cohort_export_records_one_event_per_person_in_the_file(
    session: Session, make_user: UserFactory, api_for: ApiFor
) -> None:
    group = new_group(session, name="PO guild")
    cycle = add_cycle(session, group)
    ada, bo, cy = make_user(), make_user(), make_user()
    for member in (ada, bo, cy):
        add_member(session, group, member)
    take_part(session, cycle, ada, planning=2, review=1)
    take_part(session, cycle, bo, planning=0, review=3)
    session.commit()
    admin = make_user(Role.admin)
    response = api_for(admin).call("GET", f"/api/v1/cohorts/{group.cohort_id}/results.csv")
    assert response.status_code == 200
    events = audit_rows(session)
    assert {e.subject_user_id for e in events} == {ada.id, bo.id}  # cy submitted nothing
    for event in events:
        assert (event.actor_id, event.action) == (admin.id, "cohort.exported")
        assert (event.target_type, event.target_id) == ("cohort", group.cohort_id)
        assert_no_text(event, "PO guild", ada.email, ada.display_name)


def test_a_role_change_is_recorded_and_a_name_change_is_not(
    session: Session, participant: User, admin: User, api_for: ApiFor
) -> None:
    api = api_for(admin)
    api.ok("PATCH", f"/users/{participant.id}", json={"display_name": "Pat Renamed"})
    api.ok("PATCH", f"/users/{participant.id}", json={"roles": ["participant"]})  # unchanged
    assert audit_rows(session) == []
    api.ok("PATCH", f"/users/{participant.id}", json={"roles": ["participant", "coach"]})
    [event] = audit_rows(session)
    assert fields(event) == (admin.id, "user.roles_changed", participant.id, "user", participant.id)
    assert_no_text(event, "Pat Renamed", participant.email)


def test_feedback_results_read_by_the_coach_are_recorded(
    session: Session,
    participant: User,
    coach: User,
    submitted: SubmitFactory,
    api_for: ApiFor,
) -> None:
    assessment_id = submitted(participant)
    api_for(participant).ok("GET", f"/assessments/{assessment_id}/feedback/results")
    assert audit_rows(session) == []
    api_for(coach).ok("GET", f"/assessments/{assessment_id}/feedback/results")
    [event] = audit_rows(session)
    assert fields(event) == (
        coach.id,
        "feedback_results.viewed",
        participant.id,
        "assessment",
        assessment_id,
    )
    assert_no_text(event)


def test_an_erasure_leaves_a_record_of_the_number_only(
    session: Session, participant: User, admin: User
) -> None:
    assert admin.id is not None and participant.id is not None
    record_erasure(session=session, actor_id=admin.id, erased_user_id=participant.id)
    session.flush()
    [event] = audit_rows(session)
    assert fields(event) == (admin.id, "user.erased", participant.id, "user", participant.id)
    assert event.request_id is None  # not inside a request
    assert_no_text(event, participant.email, participant.display_name)
