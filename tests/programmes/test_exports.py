"""Cohort result exports read back: CSV, XLSX; who may export; formula-safe text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook
from sqlmodel import Session

from app.accounts.models import Role, User
from app.programmes.exports import HEADER, ResultRow, results_csv, results_xlsx, safe_text
from tests.fixtures.api import Api
from tests.fixtures.factories import UserFactory
from tests.fixtures.insights import Group, add_cycle, add_member, new_group, take_part
from tests.fixtures.pdf import pdf_text


def _group(session: Session, make_user: UserFactory, coach: User) -> Group:
    group = new_group(session, name="PO guild")
    first, second = add_cycle(session, group), add_cycle(session, group, weeks_later=26)
    ada, bo = make_user(), make_user()
    ada.display_name = "=HYPERLINK(evil)"
    session.add(ada)
    add_member(session, group, ada, coach=coach)
    add_member(session, group, bo)
    take_part(session, first, ada, planning=2, review=1, coach=coach, coach_levels=(3, 1))
    take_part(session, first, bo, planning=0, review=3)
    take_part(session, second, ada, planning=3, review=3)
    session.commit()
    return group


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_and_xlsx_hold_one_row_per_member_behavior_and_cycle(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    coach = make_user(Role.coach)
    group = _group(session, make_user, coach)
    admin = api_for(make_user(Role.admin))
    response = admin.call("GET", f"/api/v1/cohorts/{group.cohort_id}/results.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    rows = _csv_rows(response.content)
    # 3 submitted assessments x 2 behaviors
    assert len(rows) == 6
    ada_first = [r for r in rows if r["cycle"] == "Cycle 1" and r["member_name"].startswith("'=")]
    assert {(r["behavior_id"], r["self_level"], r["coach_level"]) for r in ada_first} == {
        ("planning", "2", "3"),
        ("review", "1", "1"),
    }
    assert {r["rubric_id"] for r in rows} == {"mini"} and {r["rubric_version"] for r in rows} == {
        "2"
    }
    bo = [r for r in rows if r["member_name"] == group.members[1].display_name]
    assert {(r["behavior_id"], r["self_level"], r["coach_level"]) for r in bo} == {
        ("planning", "0", ""),
        ("review", "3", ""),
    }
    xlsx = admin.call("GET", f"/api/v1/cohorts/{group.cohort_id}/results.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values: list[tuple[Any, ...]] = list(sheet.iter_rows(values_only=True))
    assert values[0] == HEADER and len(values) == 7
    as_csv = [tuple(r.values()) for r in rows]
    assert [tuple("" if v is None else str(v) for v in row) for row in values[1:]] == as_csv


def test_a_coach_exports_their_members_only_and_a_lead_nothing(
    session: Session,
    make_user: UserFactory,
    api_for: Callable[[User], Api],
    browser_for: Callable[[User], Any],
) -> None:
    coach = make_user(Role.coach)
    group = _group(session, make_user, coach)
    rows = _csv_rows(
        api_for(coach).call("GET", f"/api/v1/cohorts/{group.cohort_id}/results.csv").content
    )
    assert len(rows) == 4 and {r["member_email"] for r in rows} == {group.members[0].email}
    page = browser_for(coach).client.get(f"/cohorts/{group.cohort_id}/results.xlsx")
    assert page.status_code == 200
    lead = api_for(make_user(Role.lead))
    assert lead.call("GET", f"/api/v1/cohorts/{group.cohort_id}/results.csv").status_code == 404


def test_text_that_a_spreadsheet_would_run_stays_text() -> None:
    assert safe_text("=1+1") == "'=1+1" and safe_text("-3") == "'-3" and safe_text("Ada") == "Ada"
    row = ResultRow("@c", "Cycle", "a@x", "+name", "mini", "2", "craft", "planning", "P", 1, None)
    assert b"'@c" in results_csv([row]) and b"'+name" in results_csv([row])
    sheet = load_workbook(io.BytesIO(results_xlsx([row]))).active
    assert sheet is not None and sheet["D2"].value == "'+name" and sheet["D2"].data_type == "s"


def test_the_pdf_summary_names_the_figures_in_the_report_style(
    session: Session, make_user: UserFactory, api_for: Callable[[User], Api]
) -> None:
    coach = make_user(Role.coach)
    group = _group(session, make_user, coach)
    admin = api_for(make_user(Role.admin))
    response = admin.call("GET", f"/api/v1/cycles/{group.cycle_ids[1]}/insights/summary.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Cohort summary: PO guild" in text
    assert "Strongest behaviors" in text and "Weakest behaviors" in text
    assert "Change since the previous cycle" in text and "From Cycle 1 to Cycle 2" in text
    assert "Planning" in text and "Review" in text
    lead = api_for(make_user(Role.lead))
    small = lead.call("GET", f"/api/v1/cycles/{group.cycle_ids[1]}/insights/summary.pdf")
    assert small.status_code == 403
