"""Role profiles on assessments: picking one, the shorter questionnaire, the gap on the
results page and in the PDF report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.accounts.models import User
from app.rubrics.schemas import Rubric
from tests.fixtures.api import Api
from tests.fixtures.pdf import pdf_text
from tests.fixtures.web import Browser


def _pick(api: Api, body: dict[str, Any], status: int = 200) -> Any:
    assessment_id = body.pop("id")
    return api.ok("PUT", f"/assessments/{assessment_id}/role", status, json=body)


def _answer_up_to_intermediate(rubric: Rubric, missing: list[str]) -> dict[str, int]:
    """Beginner and Intermediate items at 4 (demonstrated), the others at 1: level 2 everywhere."""
    return {i: 4 if rubric.items_by_id[i].level.order <= 2 else 1 for i in missing}


def _limit(api: Api, created: dict[str, Any]) -> Any:
    """Pick the Product Owner role for ``created`` and ask only its competencies."""
    return _pick(
        api,
        {"id": created["id"], "version": created["version"], "role_id": "product-owner"}
        | {"role_only": True},
    )


def _limited_and_submitted(api: Api, product_owner: Rubric) -> dict[str, Any]:
    created = api.create()
    chosen = _limit(api, created)
    answers = _answer_up_to_intermediate(product_owner, chosen["missing"])
    patched = api.patch(chosen["id"], chosen["version"], answers)
    assert patched.status_code == 200, patched.text
    submitted = api.submit(chosen["id"], patched.json()["version"])
    assert submitted.status_code == 200, submitted.text
    body: dict[str, Any] = submitted.json()
    return body


def test_a_role_limits_the_questionnaire_to_its_competencies(
    api_for: Callable[[User], Api], participant: User, product_owner: Rubric
) -> None:
    api = api_for(participant)
    created = api.create()
    assert created["total"] == 230 and created["role_id"] is None
    chosen = _limit(api, created)
    # Product Management (7), Driving Alignment (6), Holistic Ownership (5): 18 behaviors x 10.
    assert (chosen["total"], chosen["role_id"], chosen["role_only"]) == (180, "product-owner", True)
    assert chosen["version"] == created["version"] + 1
    asked = {product_owner.items_by_id[i].competency.id for i in chosen["missing"]}
    assert asked == {"product-management", "driving-alignment", "holistic-ownership"}
    # Picking the role without the limit asks everything again.
    whole = _pick(
        api, {"id": created["id"], "version": chosen["version"], "role_id": "head-of-product"}
    )
    assert (whole["total"], whole["role_only"]) == (230, False)


def test_role_writes_are_versioned_and_checked(
    api_for: Callable[[User], Api], participant: User
) -> None:
    api = api_for(participant)
    created = api.create()
    stale = _pick(
        api, {"id": created["id"], "version": created["version"] + 5, "role_id": None}, 409
    )
    assert stale["current"]["version"] == created["version"]
    unknown = _pick(
        api, {"id": created["id"], "version": created["version"], "role_id": "astronaut"}, 422
    )
    assert [e["loc"] for e in unknown["errors"]] == [["body", "role_id"]]
    assert "astronaut" not in str(unknown)
    no_role = _pick(
        api, {"id": created["id"], "version": created["version"], "role_only": True}, 422
    )
    assert [e["loc"] for e in no_role["errors"]] == [["body", "role_only"]]


def test_the_coach_may_pick_the_role_but_not_unlimit_a_scored_result(
    api_for: Callable[[User], Api], participant: User, coach: User, product_owner: Rubric
) -> None:
    submitted = _limited_and_submitted(api_for(participant), product_owner)
    coach_api = api_for(coach)
    refused = _pick(
        coach_api,
        {"id": submitted["id"], "version": submitted["version"], "role_id": "product-owner"},
        409,
    )
    assert [e["loc"] for e in refused["errors"]] == [["body", "role_only"]]
    changed = _pick(
        coach_api,
        {
            "id": submitted["id"],
            "version": submitted["version"],
            "role_id": "senior-product-owner",
            "role_only": True,
        },
    )
    assert changed["role_id"] == "senior-product-owner" and changed["status"] == "submitted"


def test_the_result_leaves_unasked_competencies_out_not_at_zero(
    api_for: Callable[[User], Api], participant: User, product_owner: Rubric
) -> None:
    submitted = _limited_and_submitted(api_for(participant), product_owner)
    result = submitted["result"]
    assert [c["id"] for c in result["competencies"]] == [
        "product-management",
        "driving-alignment",
        "holistic-ownership",
    ]
    assert {b["level"] for c in result["competencies"] for b in c["behaviors"]} == {2}


def test_results_page_and_pdf_show_the_gap_to_the_role(
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Browser],
    participant: User,
    product_owner: Rubric,
) -> None:
    api = api_for(participant)
    submitted = _limited_and_submitted(api, product_owner)
    page = browser_for(participant).get(f"/assessments/{submitted['id']}/results")
    assert page.status_code == 200
    html = page.text
    assert "Gap to the role: Product Owner" in html
    # Every behavior is at Intermediate (2): the targets decide the gap.
    assert _row(html, "Vision &amp; Strategy") == ["Intermediate", "Intermediate", "At target"]
    assert _row(html, "Market Awareness") == ["Beginner", "Intermediate", "Above target by 1 level"]
    assert _row(html, "Incremental Value Delivery") == [
        "Advanced",
        "Intermediate",
        "Below target by 1 level",
    ]
    assert (
        "Not assessed (the questionnaire was limited to the role): Empowered Product Teams." in html
    )
    assert '<option value="product-owner" selected>Product Owner</option>' in html

    pdf = api.client.get(f"/api/v1/assessments/{submitted['id']}/report.pdf", headers=api.headers)
    assert pdf.status_code == 200, pdf.text
    text = " ".join(pdf_text(pdf.content).split())
    assert "Gap to the role: Product Owner" in text
    assert "Market Awareness Beginner Intermediate Above target by 1 level" in text
    assert "Incremental Value Delivery Advanced Intermediate Below target by 1 level" in text
    assert (
        "Not assessed (the questionnaire was limited to the role): Empowered Product Teams" in text
    )


def _row(html: str, behavior: str) -> list[str]:
    """The target, current and gap cells of a behavior's row in the gap table."""
    start = html.index(f">{behavior}</a></th>")
    end = html.index("</tr>", start)
    cells = html[start:end].split("<td>")[1:]
    return [cell.removesuffix("</td>") for cell in cells]


def test_the_role_form_on_the_first_section_saves_and_returns(
    browser_for: Callable[[User], Browser], api_for: Callable[[User], Api], participant: User
) -> None:
    created = api_for(participant).create()
    browser = browser_for(participant)
    first = browser.get(f"/assessments/{created['id']}")
    assert 'action="/assessments/{}/role"'.format(created["id"]) in first.text
    posted = browser.post(
        f"/assessments/{created['id']}/role",
        {"version": str(created["version"]), "role_id": "product-owner", "role_only": "1"},
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/assessments/{created['id']}"
    after = api_for(participant).ok("GET", f"/assessments/{created['id']}")
    assert (after["role_id"], after["role_only"], after["total"]) == ("product-owner", True, 180)
