"""The ``world`` of the authorization matrix: six actors around one owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import Role
from tests.authz.matrix import Actor, World
from tests.fixtures.factories import UserFactory


@pytest.fixture
def world(session: Session, make_user: UserFactory) -> World:
    """Owner and other participant; a coach assigned to the owner; a coach assigned
    only to the other participant; an admin. Every signed-in actor has a bearer token."""
    users = {
        Actor.owner: make_user(Role.participant),
        Actor.other_participant: make_user(Role.participant),
        Actor.assigned_coach: make_user(Role.coach),
        Actor.unassigned_coach: make_user(Role.coach),
        Actor.admin: make_user(Role.admin),
    }
    accounts.assign_coach(
        session=session, coach=users[Actor.assigned_coach], participant=users[Actor.owner]
    )
    accounts.assign_coach(
        session=session,
        coach=users[Actor.unassigned_coach],
        participant=users[Actor.other_participant],
    )
    world = World(users=users)
    for actor, user in users.items():
        secret, _ = accounts.issue_api_token(session=session, user=user, ttl=timedelta(hours=1))
        world.tokens[actor] = secret
    return world
