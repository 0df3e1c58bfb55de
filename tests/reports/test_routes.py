"""The report API: PDF with cache and ETag, HTML preview, access rules, share links."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.core.config import get_settings
from app.core.timeutils import utcnow
from app.reports.models import ReportCache, ReportShareLink
from tests.fixtures.api import Headers
from tests.fixtures.factories import UserFactory
from tests.fixtures.pdf import pdf_info, pdf_text
from tests.reports.conftest import AssessmentReport, SubmitFactory


def _pdf(client: TestClient, assessment_id: int, headers: dict[str, str], **kw: str) -> Response:
    return client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", headers=headers, params=kw)


def test_the_owner_downloads_a_pdf_then_gets_it_from_the_cache(
    report: AssessmentReport, session: Session
) -> None:
    first = report.pdf()
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["x-report-cache"] == "miss"
    assert "attachment" in first.headers["content-disposition"]
    etag = first.headers["etag"]
    assert len(etag) == 66 and etag.startswith('"')
    text = pdf_text(first.content)
    assert report.owner.display_name in text and "Planning" in text and "Review" in text
    rows = session.exec(
        select(ReportCache).where(ReportCache.assessment_id == report.assessment_id)
    )
    assert [(r.key, r.size) for r in rows] == [(etag.strip('"'), len(first.content))]

    second = report.pdf()
    assert second.headers["x-report-cache"] == "hit"
    assert second.headers["etag"] == etag and second.content == first.content

    unchanged = report.pdf({**report.owner_headers(), "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert unchanged.headers["cache-control"] == "private, no-cache"
    stale = report.pdf({**report.owner_headers(), "If-None-Match": '"other"'})
    assert stale.status_code == 200


def test_paper_size_is_part_of_the_etag(report: AssessmentReport) -> None:
    a4 = report.pdf()
    letter = report.pdf(paper="letter")
    assert letter.status_code == 200 and a4.headers["etag"] != letter.headers["etag"]
    info = pdf_info(letter.content)
    assert (info.width, info.height) == (612, 792)  # US letter
    bad = report.pdf(paper="a3")
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "paper"]


def test_a_new_assessment_adds_history_to_its_report_only(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
) -> None:
    first = submitted(participant)
    later = submitted(participant)
    text = pdf_text(_pdf(client, later, headers(participant)).content)
    assert "Growth over time" in text
    assert "Growth over time" not in pdf_text(_pdf(client, first, headers(participant)).content)


def test_access_is_the_assessments(
    report: AssessmentReport, coach: User, admin: User, make_user: UserFactory, headers: Headers
) -> None:
    stranger = make_user(Role.participant)
    other_coach = make_user(Role.coach)
    assert report.pdf(headers(coach)).status_code == 200
    assert report.pdf(headers(admin)).status_code == 200
    assert report.pdf(headers(stranger)).status_code == 404
    assert report.pdf(headers(other_coach)).status_code == 404
    assert _pdf(report.client, report.assessment_id + 1000, headers(admin)).status_code == 404
    assert report.pdf({}).status_code == 401
    assert report.html(headers(stranger)).status_code == 404


def test_an_assessment_in_progress_has_no_report(
    client: TestClient, participant: User, submitted: SubmitFactory, headers: Headers
) -> None:
    assessment_id = submitted(participant, submit=False)
    response = _pdf(client, assessment_id, headers(participant))
    assert response.status_code == 409
    assert "not submitted" in response.json()["detail"]


def test_the_html_preview_escapes_user_text(
    client: TestClient,
    make_user: UserFactory,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
) -> None:
    person = make_user(Role.participant)
    person.display_name = '<img src="file:///etc/passwd"><script>x()</script>'
    session.add(person)
    assessment_id = submitted(person)
    response = client.get(
        f"/api/v1/assessments/{assessment_id}/report.html", headers=headers(person)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "private, no-store"
    body = response.text
    assert "<script>x()" not in body and "<img src=" not in body
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in body
    assert 'href="/static/reports/report.css"' in body
    assert "style=" not in body and "<script" not in body


def test_a_pdf_can_be_cached_in_a_directory(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "report_cache_dir", tmp_path / "cache")
    assessment_id = submitted(participant)
    first = _pdf(client, assessment_id, headers(participant))
    key = first.headers["etag"].strip('"')
    assert (tmp_path / "cache" / f"{key}.pdf").read_bytes() == first.content
    row = session.get(ReportCache, key)
    assert row is not None and row.pdf is None
    assert _pdf(client, assessment_id, headers(participant)).headers["x-report-cache"] == "hit"


# -- share links ------------------------------------------------------------------------------


def test_a_share_link_serves_the_pdf_to_anyone_until_revoked(
    report: AssessmentReport, session: Session
) -> None:
    created = report.share(expires_in_days=7)
    assert created.status_code == 201, created.text
    link = created.json()
    assert link["status"] == "active" and "/shared/" in link["url"]
    secret = link["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    stored = session.get(ReportShareLink, link["id"])
    assert stored is not None and stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()

    anonymous = TestClient(report.client.app)
    shared = anonymous.get(f"/shared/{secret}.pdf")
    assert shared.status_code == 200 and shared.headers["content-type"] == "application/pdf"
    assert shared.headers["cache-control"] == "private, no-store"
    assert shared.headers["referrer-policy"] == "no-referrer"
    assert "etag" not in shared.headers
    assert report.owner.display_name in pdf_text(shared.content)

    listed = report.share_links().json()
    assert [item["id"] for item in listed] == [link["id"]] and "url" not in listed[0]

    revoked = report.client.delete(
        f"/api/v1/share-links/{link['id']}", headers=report.owner_headers()
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert anonymous.get(f"/shared/{secret}.pdf").status_code == 404


def test_expired_unknown_and_malformed_links_are_404(
    report: AssessmentReport, session: Session
) -> None:
    link = report.share().json()
    secret = link["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    stored = session.get(ReportShareLink, link["id"])
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(seconds=1)
    session.add(stored)
    session.commit()
    for path in (f"/shared/{secret}.pdf", "/shared/nope.pdf", f"/shared/{'x' * 500}.pdf"):
        assert report.client.get(path).status_code == 404, path
    listed = report.share_links().json()
    assert listed[0]["status"] == "expired"


def test_only_the_owner_shares_and_revokes(
    report: AssessmentReport,
    coach: User,
    admin: User,
    make_user: UserFactory,
    submitted: SubmitFactory,
    headers: Headers,
) -> None:
    stranger = make_user(Role.participant)
    for user in (coach, admin, stranger):
        assert report.share(headers(user)).status_code == 404
        assert report.share_links(headers(user)).status_code == 404
    link = report.share().json()
    for user in (coach, stranger):
        response = report.client.delete(f"/api/v1/share-links/{link['id']}", headers=headers(user))
        assert response.status_code == 404
    assert report.share(expires_in_days=91).status_code == 422
    in_progress = replace(report, assessment_id=submitted(report.owner, submit=False))
    assert in_progress.share().status_code == 409


def test_the_report_is_in_the_participants_language_whoever_reads_it(
    report: AssessmentReport, participant: User, coach: User, headers: Headers, session: Session
) -> None:
    participant.locale, coach.locale = "de", "en"
    session.add_all([participant, coach])
    session.commit()
    for reader in (participant, coach):
        body = report.html(headers(reader)).text
        assert '<html lang="de" ' in body and "So lesen Sie diesen Bericht" in body
    participant.locale = None  # back to STEPWISE_DEFAULT_LOCALE (English)
    session.add(participant)
    session.commit()
    body = report.html(headers(coach)).text
    assert '<html lang="en" ' in body and "How to read this report" in body
