"""Private coach notes never reach the participant: every route they can call is grepped.

The routes are enumerated from the app itself, so a route added later (by any
domain) is checked too: each GET the participant can reach, as JSON with a
bearer token and as a page with the session cookie, plus the responses of the
writes a participant may make (including their 409 and 422 answers). PDFs are
searched as text (read back with PDFium). The coach's own view is the positive control.
"""

from __future__ import annotations

import dataclasses
import io
import re
import typing
import uuid
import zipfile
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import Response

from app.coaching import service
from app.coaching.report_inputs import ReportCoaching
from app.coaching.state import PlanEntry, ReviewRecord, ReviewState, ReviewSummary, SharedReview
from app.reports.model import ReviewInput
from app.rubrics.case import document_id
from tests.coaching.conftest import CoachingPair
from tests.fixtures.pdf import pdf_text

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
#: Routes whose parameters no participant can know (public secrets, other people's ids).
NOT_PARTICIPANT_REACHABLE = {
    "/shared/{secret}.pdf",
    "/invitations/{secret}",
    "/reset-password/{secret}",
}


def _text(response: Response) -> str:
    kind = response.headers.get("content-type", "")
    if kind.startswith("application/pdf"):
        return pdf_text(response.content)
    if kind.startswith("application/zip"):  # the data export: data.json and report PDFs
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(
                pdf_text(archive.read(n)) if n.endswith(".pdf") else archive.read(n).decode()
                for n in archive.namelist()
            )
    return response.text


def test_no_participant_reachable_response_contains_the_private_note(
    app: FastAPI, pair: CoachingPair
) -> None:
    marker = f"PRIVATE-{uuid.uuid4().hex}"
    aid = pair.submit()
    older = pair.submit()
    coach_api = pair.coach_api()
    rid = coach_api.start(aid)["id"]
    ratings = {"planning": {"coach_level": 1, "target_level": 3}, "review": {"coach_level": 1}}
    body = {"version": 1, "ratings": ratings, "shared_notes": "Shared", "private_notes": marker}
    coach_api.ok("PATCH", f"/reviews/{rid}", json=body)
    action = coach_api.ok("POST", f"/reviews/{rid}/plan-actions", 201, json={"title": "Act"})
    coach_api.ok("POST", f"/reviews/{rid}/finalize", json={"version": 2})
    # A second, unfinished session with the marker too.
    rid2 = coach_api.start(older)["id"]
    coach_api.ok("PATCH", f"/reviews/{rid2}", json={"version": 1, "private_notes": marker})

    # Positive control: the coach does read it, so the search below can fail.
    assert marker in coach_api.call("GET", f"/reviews/{rid}").text
    assert marker in pair.coach_browser().get(f"/coaching/reviews/{rid}").text

    me = pair.participant_api()
    browser = pair.participant_browser()
    # The participant's own share link: its landing page is theirs to open too.
    shared = me.ok("POST", f"/assessments/{aid}/share-links", 201, json={})
    secret = shared["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    values: dict[str, Any] = {
        "participant_id": pair.participant.id,
        "user_id": pair.participant.id,
        "assessment_id": aid,
        "review_id": rid,
        "action_id": action["id"],
        "rubric_id": "mini",
        "package_id": document_id("mini"),
        # The admin pages of rubrics: 404 for a participant.
        "version": "2",
        "link_id": 1,
        "secret": secret,
        # Admin-only pages of the outbox and the job queue: any id answers 404 here.
        "message_id": 1,
        "address_id": 1,
        "job_id": 1,
        # Admin-only webhook endpoints: any id answers 404 here.
        "endpoint_id": 1,
        # Feedback requests: this participant has none, so any id answers 404 here.
        "request_id": 1,
        # Cohorts and cycles: admins (and a cycle's coaches) only; 404 here.
        "cohort_id": 1,
        "cycle_id": 1,
        # The language switcher: a locale code, the same for everyone.
        "code": "de",
    }
    queries = {
        "/assessments/compare": {"a": older, "b": aid},
        "/api/v1/rubrics/{rubric_id}/download": {"format": "xlsx"},
        "/api/v1/rubrics/{rubric_id}/diff": {"from": "2", "to": "2"},
        "/admin/rubrics/{rubric_id}/diff": {"from": "2", "to": "2"},
    }
    checked: list[str] = []
    for context in iter_route_contexts(app.routes):
        path = context.path or ""
        if "GET" not in (context.methods or ()) or path in NOT_PARTICIPANT_REACHABLE:
            continue
        if not isinstance(context.original_route, APIRoute) or path.startswith("/static"):
            continue
        names = PARAM.findall(path)
        if any(name not in values for name in names):
            raise AssertionError(f"{path}: give the participant's value for {names}")
        # Also the other assessment, whose session is still in progress.
        variants = [values]
        if {"assessment_id", "review_id"} & set(names):
            variants.append({**values, "assessment_id": older, "review_id": rid2})
        for filled in variants:
            url = PARAM.sub(lambda m, f=filled: str(f[m.group(1)]), path)
            if url.startswith("/api/"):
                response = me.client.get(
                    url, headers=me.headers, params=queries.get(path), follow_redirects=True
                )
            else:
                response = browser.client.get(
                    url,
                    headers={"Accept": "text/html"},
                    params=queries.get(path),
                    follow_redirects=True,
                )
            assert response.status_code < 500, f"{url}: {response.status_code}"
            assert marker not in _text(response), f"the private note leaked through {url}"
            checked.append(url)
    assert f"/api/v1/reviews/{rid}" in checked
    assert f"/assessments/{aid}/results" in checked
    assert "/api/v1/me/export" in checked and "/account/data/export" in checked
    assert len(checked) > 20

    # The writes a participant can make answer without it too (success, 422, 409).
    url = f"/plan-actions/{action['id']}"
    for body in ({"version": 1, "status": "done"}, {"version": 2, "title": "x"},
                 {"version": 1, "status": "planned"}):  # fmt: skip
        response = me.call("PATCH", url, json=body)
        assert response.status_code in (200, 409, 422)
        assert marker not in response.text
    # Picking a role profile (API, then the results page's form) answers without it too.
    version = me.call("GET", f"/assessments/{aid}").json()["version"]
    for body in ({"version": version, "role_id": None}, {"version": version, "role_id": None}):
        response = me.call("PUT", f"/assessments/{aid}/role", json=body)
        assert response.status_code in (200, 409)
        assert marker not in response.text
    posted_role = browser.post(f"/assessments/{aid}/role", {"version": str(version + 1)})
    assert posted_role.status_code == 303 and marker not in posted_role.text
    # Posting the coach's forms is refused like a page that does not exist.
    for url, form in (
        (f"/coaching/reviews/{rid}", {"version": "3", "shared_notes": "x"}),
        (f"/coaching/reviews/{rid}/finalize", {"version": "3"}),
        (f"/coaching/assessments/{aid}/review", {}),
    ):
        refused = browser.post(url, form)
        assert refused.status_code == 404, url
        assert marker not in refused.text
    posted = browser.post(
        f"/coaching/plan-actions/{action['id']}/status",
        {"version": "1", "status": "in_progress", "next": f"/assessments/{aid}/results"},
    )
    assert marker not in posted.text


# --- by construction: the participant-facing types have no field for private notes ---------


def _field_names(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


@pytest.mark.parametrize(
    "cls",
    [SharedReview, ReviewRecord, ReviewSummary, PlanEntry, ReportCoaching, ReviewInput],
    ids=lambda c: c.__name__,
)
def test_participant_facing_types_have_no_private_notes_field(cls: type) -> None:
    assert "private_notes" not in _field_names(cls)
    assert not any("private" in name for name in _field_names(cls))


def test_the_coach_state_is_where_private_notes_live() -> None:
    """The positive control: the one field exists, on the coach-side state only."""
    assert "private_notes" in _field_names(ReviewState)
    assert not issubclass(SharedReview, ReviewState)


def test_the_results_page_receives_a_shared_review() -> None:
    hints = typing.get_type_hints(service.latest_shared_review)
    assert hints["return"] == SharedReview | None
