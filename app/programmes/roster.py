"""Bulk membership from a CSV file: a dry-run plan first, then the same plan applied.

The file is ``email,name,coach`` (a header row first; ``name`` and ``coach``
may be left empty, and columns may come in any order; ``coach`` is the
coach's email). :func:`plan_roster` reads it and says, row by row, what
confirming would do (invite a new person, add an existing one, change a
member's coach, nothing), with one located error per bad row and column
(``loc: ["csv", <row number>, <column>]``, the header being row 1) that
never repeats the cell's value. Nothing is written until
:func:`apply_roster`, which plans again (the database may have changed
since the preview) and refuses the whole file when any row is bad: a
partial import would leave the admin guessing which rows went in.

New people are invited through :func:`app.accounts.invitations.invite_user`
(the account, the link and its mail, as when an admin invites one person).

Limits (docs/programmes.md): :data:`MAX_CSV_BYTES` and :data:`MAX_CSV_ROWS`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.accounts import invitations
from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.core.exceptions import InvalidInput, field_error
from app.programmes import repository
from app.programmes.cohorts import MAX_MEMBERS, get_cohort, place_member

#: Largest file accepted, and most data rows (without the header).
MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 2000
COLUMNS = ("email", "name", "coach")
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 120


class RowAction(StrEnum):
    invite = "invite"  # a new person: account created, invitation mailed
    add = "add"  # an existing participant joins the cohort
    change_coach = "change_coach"  # already a member: the coach changes
    unchanged = "unchanged"  # already a member with this coach


@dataclass(frozen=True)
class PlannedRow:
    row: int
    email: str
    name: str
    coach_email: str | None
    action: RowAction


@dataclass
class RosterPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def count(self, action: RowAction | str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def coach_assignments(self) -> int:
        """Rows whose confirmation assigns a coach (new or changed)."""
        return sum(
            1
            for r in self.rows
            if r.coach_email is not None and r.action is not RowAction.unchanged
        )


def _file_error(msg: str) -> InvalidInput:
    return InvalidInput(f"The CSV file cannot be read: {msg}", errors=[field_error(["csv"], msg)])


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (a BOM is fine), at most ``MAX_CSV_BYTES``."""
    if len(data) > MAX_CSV_BYTES:
        raise _file_error(f"the file is larger than {MAX_CSV_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error("the file is not UTF-8 text") from None


def _header(first: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in first]
    unknown = [n for n in names if n and n not in COLUMNS]
    if "email" not in names or unknown or len(set(names)) != len(names):
        raise _file_error("the first row must name the columns: email,name,coach")
    return {name: i for i, name in enumerate(names) if name}


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _looks_like_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in text))


def plan_roster(*, session: Session, cohort_id: int, text: str) -> RosterPlan:
    """What importing ``text`` into the cohort would do, writing nothing."""
    if len(text.encode()) > MAX_CSV_BYTES:
        raise _file_error(f"the file is larger than {MAX_CSV_BYTES // 1024} KiB")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise _file_error("the file is not valid CSV") from None
    lines = [cells for cells in lines if any(c.strip() for c in cells)] if lines else []
    if not lines:
        raise _file_error("the file is empty")
    columns = _header(lines[0])
    if len(lines) - 1 > MAX_CSV_ROWS:
        raise _file_error(f"at most {MAX_CSV_ROWS} rows per file")
    plan = RosterPlan()
    seen: set[str] = set()
    coaches: dict[str, User | None] = {}
    members_now = repository.count_members(session, cohort_id=cohort_id)
    for number, cells in enumerate(lines[1:], start=2):
        email = accounts.normalize_email(_cell(cells, columns.get("email")))
        name = " ".join(_cell(cells, columns.get("name")).split())
        coach_email = accounts.normalize_email(_cell(cells, columns.get("coach"))) or None
        row_errors = []
        if not email:
            row_errors.append(field_error(["csv", number, "email"], "is empty", "missing"))
        elif len(email) > MAX_EMAIL_LENGTH or not _looks_like_email(email):
            row_errors.append(field_error(["csv", number, "email"], "is not an email address"))
        elif email in seen:
            row_errors.append(field_error(["csv", number, "email"], "appears on an earlier row"))
        if len(name) > MAX_NAME_LENGTH:
            row_errors.append(
                field_error(["csv", number, "name"], f"is longer than {MAX_NAME_LENGTH} characters")
            )
        coach: User | None = None
        if coach_email is not None:
            if coach_email not in coaches:
                found = accounts.get_user_by_email(session=session, email=coach_email)
                coaches[coach_email] = (
                    found
                    if found is not None and found.has_role(Role.coach) and found.is_active
                    else None
                )
            coach = coaches[coach_email]
            if coach is None:
                row_errors.append(
                    field_error(["csv", number, "coach"], "is not the email of a coach")
                )
        action = RowAction.invite
        if email and not row_errors:
            seen.add(email)
            person = accounts.get_user_by_email(session=session, email=email)
            if person is not None:
                action, problem = _action_for(session, cohort_id, person, coach)
                if problem:
                    row_errors.append(field_error(["csv", number, "email"], problem))
        if row_errors:
            plan.errors.extend(row_errors)
            continue
        plan.rows.append(PlannedRow(number, email, name, coach_email, action))
    joining = plan.count(RowAction.invite) + plan.count(RowAction.add)
    if members_now + joining > MAX_MEMBERS:
        plan.errors.append(
            field_error(["csv"], f"the cohort would have more than {MAX_MEMBERS} members")
        )
    return plan


def _action_for(
    session: Session, cohort_id: int, person: User, coach: User | None
) -> tuple[RowAction, str | None]:
    if not person.has_role(Role.participant):
        if person.password_hash is None and person.is_active:
            return RowAction.invite, None  # invited before: the invitation adds the role
        return RowAction.add, "belongs to someone who is not a participant"
    if not person.is_active:
        return RowAction.add, "belongs to a deactivated account"
    assert person.id is not None
    member = repository.get_member(session, cohort_id=cohort_id, user_id=person.id)
    if member is None:
        return RowAction.add, None
    wanted = coach.id if coach is not None else None
    return (RowAction.unchanged if member.coach_id == wanted else RowAction.change_coach), None


def preview_roster(*, session: Session, actor: User, cohort_id: int, text: str) -> RosterPlan:
    """The dry run: the plan and its errors (admins only)."""
    get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    return plan_roster(session=session, cohort_id=cohort_id, text=text)


def apply_roster(
    *, session: Session, actor: User, cohort_id: int, text: str, invitation_ttl: timedelta
) -> RosterPlan:
    """Plan again and carry the plan out; 422 with every error (and nothing saved) if any."""
    cohort = get_cohort(session=session, actor=actor, cohort_id=cohort_id)
    plan = plan_roster(session=session, cohort_id=cohort_id, text=text)
    if plan.errors:
        raise InvalidInput(
            f"{len(plan.errors)} problem(s) in the file: nothing was imported", errors=plan.errors
        )
    for row in plan.rows:
        coach = (
            accounts.get_user_by_email(session=session, email=row.coach_email)
            if row.coach_email
            else None
        )
        if row.action is RowAction.invite:
            person = invitations.invite_user(
                session=session,
                email=row.email,
                roles={Role.participant},
                display_name=row.name or None,
                ttl=invitation_ttl,
                invited_by=actor,
            ).user
        else:
            found = accounts.get_user_by_email(session=session, email=row.email)
            assert found is not None
            person = found
        if row.action is not RowAction.unchanged:
            place_member(session=session, cohort=cohort, user=person, coach=coach)
    return plan
