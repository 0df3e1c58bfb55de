"""Seed a live Stepwise server for the API fuzz run; print the ids as shell exports.

Used by ``scripts/fuzz-api.sh`` after ``stepwise demo seed``: through the
public API only, Pat starts and submits an assessment and starts another,
the coach opens a review with a plan action, and Pat makes a share link, so
the fuzzer's requests reach real resources instead of 404s.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import httpx

from app.accounts.demo import DEMO_PASSWORD
from app.rubrics.loader import load_rubric_dir

RUBRIC_ID = "product-owner"


def token(client: httpx.Client, email: str) -> str:
    response = client.post(
        "/api/v1/auth/token", data={"username": email, "password": DEMO_PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def ok(response: httpx.Response) -> dict[str, object]:
    if response.status_code >= 400:
        sys.exit(
            f"seeding failed: {response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text[:500]}"
        )
    body: dict[str, object] = response.json()
    return body


def main(base_url: str) -> None:
    [loaded] = [r for r in load_rubric_dir(Path("rubrics")) if r.rubric.id == RUBRIC_ID]
    answers = dict.fromkeys(loaded.rubric.items_by_id, loaded.rubric.scale.min + 1)
    with httpx.Client(base_url=base_url, timeout=60) as client:
        pat = {"Authorization": f"Bearer {token(client, 'pat@example.com')}"}
        coach = {"Authorization": f"Bearer {token(client, 'coach@example.com')}"}
        admin = {"Authorization": f"Bearer {token(client, 'admin@example.com')}"}
        me = ok(client.get("/api/v1/me", headers=pat))
        coach_me = ok(client.get("/api/v1/me", headers=coach))
        done = ok(client.post("/api/v1/assessments", json={"rubric_id": RUBRIC_ID}, headers=pat))
        saved = ok(
            client.patch(
                f"/api/v1/assessments/{done['id']}/responses",
                json={"version": done["version"], "responses": answers},
                headers=pat,
            )
        )
        ok(
            client.post(
                f"/api/v1/assessments/{done['id']}/submit",
                json={"version": saved["version"]},
                headers=pat,
            )
        )
        ok(client.post("/api/v1/assessments", json={"rubric_id": RUBRIC_ID}, headers=pat))
        review = ok(client.post(f"/api/v1/assessments/{done['id']}/reviews", headers=coach))
        action = ok(
            client.post(
                f"/api/v1/reviews/{review['id']}/plan-actions",
                json={"title": "Run a vision workshop"},
                headers=coach,
            )
        )
        link = ok(
            client.post(f"/api/v1/assessments/{done['id']}/share-links", json={}, headers=pat)
        )
    exports = {
        "FUZZ_PARTICIPANT_TOKEN": pat["Authorization"].removeprefix("Bearer "),
        "FUZZ_COACH_TOKEN": coach["Authorization"].removeprefix("Bearer "),
        "FUZZ_ADMIN_TOKEN": admin["Authorization"].removeprefix("Bearer "),
        "FUZZ_ASSESSMENT_ID": done["id"],
        "FUZZ_REVIEW_ID": review["id"],
        "FUZZ_ACTION_ID": action["id"],
        "FUZZ_LINK_ID": link["id"],
        "FUZZ_PARTICIPANT_ID": me["id"],
        "FUZZ_COACH_ID": coach_me["id"],
        "FUZZ_USER_ID": me["id"],
    }
    for name, value in exports.items():
        print(f"export {name}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main(sys.argv[1])
