"""The report API: PDF with cache and ETag, HTML preview, access rules, share links."""

from __future__ import annotations

import hashlib
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
from tests.reports.conftest import SubmitFactory


def _text(pdf: bytes, tmp_path: Path) -> str:
    return pdf_text(pdf)


def _pdf(client: TestClient, assessment_id: int, headers: dict[str, str], **kw: str) -> Response:
    return client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", headers=headers, params=kw)


def test_the_owner_downloads_a_pdf_then_gets_it_from_the_cache(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
    tmp_path: Path,
) -> None:
    assessment_id = submitted(participant)
    first = _pdf(client, assessment_id, headers(participant))
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["x-report-cache"] == "miss"
    assert "attachment" in first.headers["content-disposition"]
    etag = first.headers["etag"]
    assert len(etag) == 66 and etag.startswith('"')
    text = _text(first.content, tmp_path)
    assert participant.display_name in text and "Planning" in text and "Review" in text
    rows = session.exec(select(ReportCache).where(ReportCache.assessment_id == assessment_id))
    assert [(r.key, r.size) for r in rows] == [(etag.strip('"'), len(first.content))]

    second = _pdf(client, assessment_id, headers(participant))
    assert second.headers["x-report-cache"] == "hit"
    assert second.headers["etag"] == etag and second.content == first.content

    unchanged = _pdf(client, assessment_id, {**headers(participant), "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert unchanged.headers["cache-control"] == "private, no-cache"
    stale = _pdf(client, assessment_id, {**headers(participant), "If-None-Match": '"other"'})
    assert stale.status_code == 200


def test_paper_size_is_part_of_the_etag(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    tmp_path: Path,
) -> None:
    assessment_id = submitted(participant)
    a4 = _pdf(client, assessment_id, headers(participant))
    letter = _pdf(client, assessment_id, headers(participant), paper="letter")
    assert letter.status_code == 200 and a4.headers["etag"] != letter.headers["etag"]
    info = pdf_info(letter.content)
    assert (info.width, info.height) == (612, 792)  # US letter
    bad = _pdf(client, assessment_id, headers(participant), paper="a3")
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "paper"]


def test_a_new_assessment_adds_history_to_its_report_only(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    tmp_path: Path,
) -> None:
    first = submitted(participant)
    later = submitted(participant)
    text = _text(_pdf(client, later, headers(participant)).content, tmp_path)
    assert "Growth over time" in text
    assert "Growth over time" not in _text(
        _pdf(client, first, headers(participant)).content, tmp_path
    )


def test_access_is_the_assessments(
    client: TestClient,
    participant: User,
    coach: User,
    admin: User,
    make_user: UserFactory,
    submitted: SubmitFactory,
    headers: Headers,
) -> None:
    assessment_id = submitted(participant)
    stranger = make_user(Role.participant)
    other_coach = make_user(Role.coach)
    assert _pdf(client, assessment_id, headers(coach)).status_code == 200
    assert _pdf(client, assessment_id, headers(admin)).status_code == 200
    assert _pdf(client, assessment_id, headers(stranger)).status_code == 404
    assert _pdf(client, assessment_id, headers(other_coach)).status_code == 404
    assert _pdf(client, assessment_id + 1000, headers(admin)).status_code == 404
    assert _pdf(client, assessment_id, {}).status_code == 401
    html = client.get(f"/api/v1/assessments/{assessment_id}/report.html", headers=headers(stranger))
    assert html.status_code == 404


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


def _share(
    client: TestClient, assessment_id: int, headers: dict[str, str], **body: object
) -> Response:
    return client.post(
        f"/api/v1/assessments/{assessment_id}/share-links", headers=headers, json=body
    )


def test_a_share_link_serves_the_pdf_to_anyone_until_revoked(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
    tmp_path: Path,
) -> None:
    assessment_id = submitted(participant)
    created = _share(client, assessment_id, headers(participant), expires_in_days=7)
    assert created.status_code == 201, created.text
    link = created.json()
    assert link["status"] == "active" and "/shared/" in link["url"]
    secret = link["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    stored = session.get(ReportShareLink, link["id"])
    assert stored is not None and stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()

    anonymous = TestClient(client.app)
    shared = anonymous.get(f"/shared/{secret}.pdf")
    assert shared.status_code == 200 and shared.headers["content-type"] == "application/pdf"
    assert shared.headers["cache-control"] == "private, no-store"
    assert shared.headers["referrer-policy"] == "no-referrer"
    assert "etag" not in shared.headers
    assert participant.display_name in _text(shared.content, tmp_path)

    listed = client.get(
        f"/api/v1/assessments/{assessment_id}/share-links", headers=headers(participant)
    ).json()
    assert [item["id"] for item in listed] == [link["id"]] and "url" not in listed[0]

    revoked = client.delete(f"/api/v1/share-links/{link['id']}", headers=headers(participant))
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert anonymous.get(f"/shared/{secret}.pdf").status_code == 404


def test_expired_unknown_and_malformed_links_are_404(
    client: TestClient,
    participant: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
) -> None:
    assessment_id = submitted(participant)
    link = _share(client, assessment_id, headers(participant)).json()
    secret = link["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    stored = session.get(ReportShareLink, link["id"])
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(seconds=1)
    session.add(stored)
    session.commit()
    for path in (f"/shared/{secret}.pdf", "/shared/nope.pdf", f"/shared/{'x' * 500}.pdf"):
        assert client.get(path).status_code == 404, path
    listed = client.get(
        f"/api/v1/assessments/{assessment_id}/share-links", headers=headers(participant)
    ).json()
    assert listed[0]["status"] == "expired"


def test_only_the_owner_shares_and_revokes(
    client: TestClient,
    participant: User,
    coach: User,
    admin: User,
    make_user: UserFactory,
    submitted: SubmitFactory,
    headers: Headers,
) -> None:
    assessment_id = submitted(participant)
    stranger = make_user(Role.participant)
    for user in (coach, admin, stranger):
        assert _share(client, assessment_id, headers(user)).status_code == 404
        listing = client.get(
            f"/api/v1/assessments/{assessment_id}/share-links", headers=headers(user)
        )
        assert listing.status_code == 404
    link = _share(client, assessment_id, headers(participant)).json()
    for user in (coach, stranger):
        response = client.delete(f"/api/v1/share-links/{link['id']}", headers=headers(user))
        assert response.status_code == 404
    assert (
        _share(client, assessment_id, headers(participant), expires_in_days=91).status_code == 422
    )
    in_progress = submitted(participant, submit=False)
    assert _share(client, in_progress, headers(participant)).status_code == 409


def test_the_report_is_in_the_participants_language_whoever_reads_it(
    client: TestClient,
    participant: User,
    coach: User,
    submitted: SubmitFactory,
    headers: Headers,
    session: Session,
) -> None:
    assessment_id = submitted(participant)
    participant.locale, coach.locale = "de", "en"
    session.add_all([participant, coach])
    session.commit()
    url = f"/api/v1/assessments/{assessment_id}/report.html"
    for reader in (participant, coach):
        body = client.get(url, headers=headers(reader)).text
        assert '<html lang="de" ' in body and "So lesen Sie diesen Bericht" in body
    participant.locale = None  # back to STEPWISE_DEFAULT_LOCALE (English)
    session.add(participant)
    session.commit()
    body = client.get(url, headers=headers(coach)).text
    assert '<html lang="en" ' in body and "How to read this report" in body
