"""Demo accounts for a fresh development database (``make run``).

Created through the same service functions as real accounts, and only when
the database has no users at all, so they never appear next to real people.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts import repository, service
from app.accounts.models import Role, User

DEMO_PASSWORD = "stepwise-demo"  # noqa: S105 - published demo credential


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: frozenset[Role]


DEMO_ACCOUNTS = (
    DemoAccount("admin@example.com", "Ada Admin", frozenset({Role.admin})),
    DemoAccount("coach@example.com", "Cora Coach", frozenset({Role.coach})),
    DemoAccount("pat@example.com", "Pat Participant", frozenset({Role.participant})),
    DemoAccount("sam@example.com", "Sam Participant", frozenset({Role.participant})),
)


def seed_demo_accounts(*, session: Session, password_min_length: int) -> list[DemoAccount]:
    """Create the demo people and assign the coach to both participants.

    Returns the accounts created; empty when the database already had users.
    """
    if repository.count_users(session=session) > 0:
        return []
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        users[account.email] = service.create_user(
            session=session,
            email=account.email,
            display_name=account.name,
            roles=account.roles,
            password=DEMO_PASSWORD,
            password_min_length=min(password_min_length, len(DEMO_PASSWORD)),
        )
    coach = users["coach@example.com"]
    for email in ("pat@example.com", "sam@example.com"):
        service.assign_coach(session=session, coach=coach, participant=users[email])
    return list(DEMO_ACCOUNTS)
