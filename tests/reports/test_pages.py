"""Share-link pages without JavaScript: the share page, revoking, the recipient's landing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.core.timeutils import utcnow
from app.reports.models import ReportShareLink
from tests.fixtures.factories import UserFactory
from tests.fixtures.web import Browser
from tests.reports.conftest import SubmitFactory

BrowserFor = Callable[[User], Browser]
URL = re.compile(r'value="(http://[^"]+/shared/([A-Za-z0-9_-]+))"')


def _create(browser: Browser, assessment_id: int, days: str = "7") -> tuple[str, str]:
    """Make a link on the share page; its URL and secret as the page shows them (once)."""
    page = browser.post(
        f"/assessments/{assessment_id}/share", {"expires_in_days": days, "paper": "a4"}
    )
    assert page.status_code == 200, page.text
    found = URL.search(page.text)
    assert found is not None, page.text
    return found.group(1), found.group(2)


def test_the_owner_creates_a_link_and_the_recipient_lands_on_a_page(
    browser_for: BrowserFor, participant: User, submitted: SubmitFactory, session: Session
) -> None:
    assessment_id = submitted(participant)
    browser = browser_for(participant)
    empty = browser.get(f"/assessments/{assessment_id}/share")
    assert empty.status_code == 200 and "You have not shared this report yet" in empty.text
    url, secret = _create(browser, assessment_id)
    assert url.endswith(f"/shared/{secret}") and not url.endswith(".pdf")

    listed = browser.get(f"/assessments/{assessment_id}/share")
    assert secret not in listed.text  # shown once: only the hash is stored
    assert "1 link, 1 still working" in listed.text and "Revoke" in listed.text

    anonymous = TestClient(browser.client.app)
    landing = anonymous.get(f"/shared/{secret}", headers={"Accept": "text/html"})
    assert landing.status_code == 200
    assert f"{participant.display_name} shared their development report" in landing.text
    assert "Link works until" in landing.text and participant.email not in landing.text
    assert f'href="http://testserver/shared/{secret}.pdf"' in landing.text
    assert landing.headers["referrer-policy"] == "no-referrer"
    assert landing.headers["x-robots-tag"] == "noindex"
    assert "no-store" in landing.headers["cache-control"]
    link = session.exec(select(ReportShareLink)).one()
    expected = (utcnow() + timedelta(days=7)).date()
    # The expiry as the page's locale writes it (English here: "Dec 9, 2026, …").
    assert f"{expected.strftime('%b')} {expected.day}, {expected.year}" in landing.text
    assert link.paper == "a4"


def test_revoking_stops_the_landing_page_and_the_pdf(
    browser_for: BrowserFor, participant: User, submitted: SubmitFactory, session: Session
) -> None:
    assessment_id = submitted(participant)
    browser = browser_for(participant)
    _url, secret = _create(browser, assessment_id)
    link = session.exec(select(ReportShareLink)).one()
    revoked = browser.post(f"/share-links/{link.id}/revoke", {})
    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"/assessments/{assessment_id}/share?done=revoked"
    page = browser.get(revoked.headers["location"])
    assert "Link revoked" in page.text and "Revoked" in page.text
    assert "0 still working" in page.text
    anonymous = TestClient(browser.client.app)
    for path in (
        f"/shared/{secret}",
        f"/shared/{secret}.pdf",
        "/shared/nope",
        f"/shared/{'x' * 500}",
    ):
        assert anonymous.get(path, headers={"Accept": "text/html"}).status_code == 404, path


def test_an_expired_link_is_listed_as_expired_and_lands_on_404(
    browser_for: BrowserFor, participant: User, submitted: SubmitFactory, session: Session
) -> None:
    assessment_id = submitted(participant)
    browser = browser_for(participant)
    _url, secret = _create(browser, assessment_id, days="1")
    link = session.exec(select(ReportShareLink)).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    session.add(link)
    session.commit()
    page = browser.get(f"/assessments/{assessment_id}/share")
    assert "Expired" in page.text and "Revoke" not in page.text
    landing = browser.get(f"/shared/{secret}")
    assert landing.status_code == 404 and "no longer valid" in landing.text


def test_only_the_owner_has_a_share_page(
    browser_for: BrowserFor,
    participant: User,
    coach: User,
    admin: User,
    make_user: UserFactory,
    submitted: SubmitFactory,
    session: Session,
) -> None:
    assessment_id = submitted(participant)
    _create(browser_for(participant), assessment_id)
    link = session.exec(select(ReportShareLink)).one()
    for user in (coach, admin, make_user(Role.participant)):
        other = browser_for(user)
        assert other.get(f"/assessments/{assessment_id}/share").status_code == 404
        assert other.post(f"/assessments/{assessment_id}/share", {}).status_code == 404
        assert other.post(f"/share-links/{link.id}/revoke", {}).status_code == 404
    session.refresh(link)
    assert link.revoked_at is None


def test_bad_input_and_drafts_are_refused_without_a_link(
    browser_for: BrowserFor, participant: User, submitted: SubmitFactory, session: Session
) -> None:
    browser = browser_for(participant)
    assessment_id = submitted(participant)
    for days in ("0", "91", "soon"):
        refused = browser.post(f"/assessments/{assessment_id}/share", {"expires_in_days": days})
        assert refused.status_code == 422 and "expires_in_days" in refused.text
    assert "soon" not in refused.text  # never echoed
    draft = submitted(participant, submit=False)
    page = browser.get(f"/assessments/{draft}/share")
    assert page.status_code == 200 and "Submit your self-assessment first" in page.text
    assert browser.post(f"/assessments/{draft}/share", {}).status_code == 409
    assert browser.post(f"/assessments/{assessment_id}/share", {}, csrf=False).status_code == 403
    assert session.exec(select(ReportShareLink)).all() == []


def test_the_results_page_has_a_share_button_for_the_owner_only(
    browser_for: BrowserFor, participant: User, coach: User, submitted: SubmitFactory
) -> None:
    assessment_id = submitted(participant)
    own = browser_for(participant).get(f"/assessments/{assessment_id}/results")
    assert f'href="/assessments/{assessment_id}/share"' in own.text
    coached = browser_for(coach).get(f"/assessments/{assessment_id}/results")
    assert coached.status_code == 200 and "/share" not in coached.text
