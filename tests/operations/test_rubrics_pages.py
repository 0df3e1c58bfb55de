"""The admin pages of rubrics: list, one version's ladder, upload with its report, diff."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import pytest
import yaml
from httpx import Response
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.accounts.models import User
from app.core.config import get_settings
from app.operations.rubrics_pages import UPLOAD_OVERHEAD
from app.rubrics.loader import parse_rubric
from app.rubrics.models import RubricUpload, RubricVersion
from app.rubrics.schemas import Rubric
from app.rubrics.transfer import ExportFormat, export_rubric
from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.web import Browser

MINI_YAML = (FIXTURE_RUBRICS / "mini.yaml").read_text()
_TOKEN = re.compile(r'name="upload" value="([^"]+)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mini_v3(text: str = "I plan each day.") -> bytes:
    data = yaml.safe_load(MINI_YAML)
    data["version"] = "3"
    data["competencies"][0]["behaviors"][0]["levels"]["novice"]["items"][0]["text"] = text
    return yaml.safe_dump(data, allow_unicode=True).encode()


def _upload(
    browser: Browser, name: str, data: bytes, media_type: str = "application/yaml"
) -> Response:
    """A multipart form post of one file, as the upload form sends it."""
    return browser.client.post(
        "/admin/rubrics/upload",
        data={"csrf_token": browser.csrf},
        files={"file": (name, data, media_type)},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )


def _versions(session: Session) -> dict[str, bool]:
    rows = session.exec(select(RubricVersion).where(RubricVersion.rubric_id == "mini"))
    return {row.version: row.is_current for row in rows}


@pytest.fixture
def admin_browser(admin: User, browser_for: Callable[[User], Browser]) -> Browser:
    return browser_for(admin)


def test_the_list_shows_every_rubric_with_its_versions(admin_browser: Browser) -> None:
    page = admin_browser.get("/admin/rubrics")
    assert page.status_code == 200
    assert 'id="versions-mini"' in page.text and "Mini framework" in page.text
    assert "/admin/rubrics/mini/versions/2" in page.text and "current" in page.text
    assert 'href="/admin/rubrics"' in page.text and 'aria-current="page">Rubrics' in page.text


def test_a_version_shows_its_whole_ladder_and_downloads(admin_browser: Browser) -> None:
    page = admin_browser.get("/admin/rubrics/mini/versions/2")
    assert page.status_code == 200
    text = page.text
    for expected in ("Craft", "Planning", "Plans a week.", "I review my plan.", "pl-2b"):
        assert expected in text
    assert "Hold a weekly review." in text
    # "review" skips the practitioner level: the ladder says so rather than hiding it.
    assert "This behavior does not define this level." in text
    for fmt in ("yaml", "xlsx", "csv", "case"):
        link = f"/api/v1/rubrics/mini/download?format={fmt}&amp;version=2"
        assert link in text
        download = admin_browser.get(link.replace("&amp;", "&"))
        assert download.status_code == 200, fmt
    assert admin_browser.get("/admin/rubrics/mini/versions/9").status_code == 404


def test_an_upload_with_errors_is_reported_with_locations_and_saves_nothing(
    admin_browser: Browser, session: Session
) -> None:
    workbook = load_workbook(io.BytesIO(export_rubric(_parse(), ExportFormat.xlsx, base_url="")))
    workbook["behaviors"]["A3"] = "no-such-competency"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = _upload(admin_browser, "mini.xlsx", buffer.getvalue(), XLSX)
    assert page.status_code == 422
    assert "mini.xlsx: sheet &#39;behaviors&#39;, row 3, column &#39;competency&#39;" in page.text
    assert "no-such-competency" not in page.text  # the report never echoes the bad value
    assert 'name="upload"' not in page.text
    bad = MINI_YAML.replace(
        "novice:\n            descriptor: Asks", "guru:\n            descriptor: Asks"
    )
    page = _upload(admin_browser, "mini.yaml", bad.encode())
    assert page.status_code == 422
    assert "competencies[0].behaviors[1].levels.guru" in page.text
    broken = _upload(admin_browser, "mini.yaml", b"id: [unclosed")
    assert broken.status_code == 422 and "line " in broken.text
    unknown = _upload(admin_browser, "mini.txt", b"x")
    assert unknown.status_code == 422 and "file: the file name must end in one of" in unknown.text
    assert _versions(session) == {"2": True}
    assert session.exec(select(RubricUpload)).all() == []


def test_an_upload_over_the_limit_is_refused(admin_browser: Browser) -> None:
    limit = get_settings().rubric_upload_max_bytes
    page = _upload(admin_browser, "big.yaml", b"#" * (limit + 1))
    assert page.status_code == 413 and f"larger than the limit of {limit:,} bytes" in page.text
    # Past the file limit plus the form's overhead, the body limit answers before the route.
    body = _upload(admin_browser, "big.yaml", b"#" * (limit + UPLOAD_OVERHEAD + 1))
    assert body.status_code == 413 and "The request body is over the limit" in body.text
    # Any other multipart form keeps the ordinary form limit and NUL check.
    other = admin_browser.client.post(
        "/admin/cohorts/1/import",
        data={"csrf_token": admin_browser.csrf},
        files={"file": ("a.csv", b"a\x00b", "text/csv")},
        headers={"Accept": "text/html"},
    )
    assert other.status_code == 422


def test_an_upload_is_previewed_then_confirmed_as_a_new_current_version(
    admin_browser: Browser, session: Session
) -> None:
    page = _upload(admin_browser, "mini-3.yaml", _mini_v3())
    assert page.status_code == 200, page.text
    assert "a new version of a stored rubric" in page.text
    assert "I plan my day." in page.text and "I plan each day." in page.text  # the diff
    assert _versions(session) == {"2": True}  # nothing saved yet
    token = _TOKEN.search(page.text)
    assert token
    done = admin_browser.post("/admin/rubrics/upload/confirm", {"upload": token.group(1)})
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/rubrics/mini/versions/3?done=saved"
    assert _versions(session) == {"2": False, "3": True}
    shown = admin_browser.get(done.headers["location"])
    assert "The uploaded rubric is saved" in shown.text and "I plan each day." in shown.text
    assert admin_browser.client.get("/api/v1/rubrics/mini").json()["rubric"]["version"] == "3"
    # The token is spent: a second confirmation finds nothing.
    again = admin_browser.post("/admin/rubrics/upload/confirm", {"upload": token.group(1)})
    assert again.status_code == 404
    # The same version again is reported, not saved twice; different content is a clash.
    same = _upload(admin_browser, "mini-3.yaml", _mini_v3())
    assert same.status_code == 422 and "already stored with this content" in same.text
    clash = _upload(admin_browser, "mini-3.yaml", _mini_v3("I plan my days."))
    assert clash.status_code == 422 and "give the file a new version" in clash.text


def test_a_binary_spreadsheet_and_a_case_package_upload(admin_browser: Browser) -> None:
    rubric = parse_rubric(yaml.safe_load(_mini_v3()))
    xlsx = export_rubric(rubric, ExportFormat.xlsx, base_url="http://x.test")
    assert b"\x00" in xlsx  # the body limits must let a binary file through here
    page = _upload(admin_browser, "mini.xlsx", xlsx, XLSX)
    assert page.status_code == 200 and _TOKEN.search(page.text)
    # A foreign CASE package (without our extensions): saved with what it lacked reported.
    package = json.loads(export_rubric(rubric, ExportFormat.case, base_url="http://x.test"))
    package["CFDocument"].pop("extensions")
    page = _upload(admin_browser, "mini.json", json.dumps(package).encode(), "application/json")
    assert page.status_code == 200 and 'id="upload-warnings"' in page.text
    assert "levels: CASE has no level ladder" in page.text and _TOKEN.search(page.text)


def test_the_diff_page_shows_what_changed(admin_browser: Browser) -> None:
    page = _upload(admin_browser, "mini-3.yaml", _mini_v3())
    token = _TOKEN.search(page.text)
    assert token
    admin_browser.post("/admin/rubrics/upload/confirm", {"upload": token.group(1)})
    diff = admin_browser.get("/admin/rubrics/mini/diff", params={"from": "2", "to": "3"})
    assert diff.status_code == 200
    assert 'id="diff-item"' in diff.text and "pl-1" in diff.text
    assert "changed: 1" in diff.text
    listed = admin_browser.get("/admin/rubrics")
    assert 'action="/admin/rubrics/mini/diff"' in listed.text
    missing = admin_browser.get("/admin/rubrics/mini/diff", params={"from": "2", "to": "8"})
    assert missing.status_code == 404
    api = admin_browser.client.get("/api/v1/rubrics/mini/diff", params={"from": "2", "to": "3"})
    assert api.status_code == 200
    assert [(c["kind"], c["element"], c["id"]) for c in api.json()["changes"]] == [
        ("changed", "item", "pl-1")
    ]
    too_long = admin_browser.client.get(
        "/api/v1/rubrics/mini/diff", params={"from": "2", "to": "3" * 40}
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["loc"] == ["query", "to"]


@pytest.mark.parametrize("role", ["coach", "participant"])
def test_the_pages_are_404_for_coaches_and_participants(
    role: str, request: pytest.FixtureRequest, browser_for: Callable[[User], Browser]
) -> None:
    browser = browser_for(request.getfixturevalue(role))
    for url in (
        "/admin/rubrics",
        "/admin/rubrics/upload",
        "/admin/rubrics/mini/versions/2",
        "/admin/rubrics/mini/diff?from=2&to=2",
    ):
        assert browser.get(url).status_code == 404, url
    assert _upload(browser, "mini-3.yaml", _mini_v3()).status_code == 404
    assert browser.post("/admin/rubrics/upload/confirm", {"upload": "x"}).status_code == 404


def _parse() -> Rubric:
    return parse_rubric(yaml.safe_load(MINI_YAML))
