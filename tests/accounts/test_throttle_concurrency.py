"""The login throttle under concurrency: a burst never buys more than the limit.

Thirty wrong passwords sent at once must not all be checked: at most the
limit are verified (401), the rest are refused (429), and the right password
is refused afterwards too. The requests go through the real app with its real
unit of work (``SessionDep``), each on its own pooled connection and thread,
released together by a barrier, and commit for real on the suite's database
(SQLite file, or PostgreSQL when ``STEPWISE_TEST_DATABASE_URL`` is set, where
the old check-then-insert let all thirty through). Everything the test
commits is deleted afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, or_
from sqlmodel import Session, col, func, select

from app.accounts import service as accounts
from app.accounts.models import LoginFailure, LoginThrottleKey, Role, User
from app.core.config import get_settings
from app.main import create_app
from tests.fixtures.factories import PASSWORD

MAX = get_settings().login_max_failures
BURST = 30


@dataclass(frozen=True)
class Target:
    email: str
    client: str


@pytest.fixture
def target(engine: Engine) -> Iterator[Target]:
    """A committed account and a client address no other test uses."""
    tag = uuid.uuid4().hex[:10]
    email = f"race-{tag}@example.test"
    with Session(engine) as session:
        accounts.create_user(
            session=session,
            email=email,
            roles={Role.participant},
            password=PASSWORD,
            password_min_length=10,
        )
        session.commit()
    yield Target(email=email, client=f"race-client-{tag}")
    with Session(engine) as session:
        session.execute(
            delete(LoginFailure).where(
                or_(
                    col(LoginFailure.client_key) == f"race-client-{tag}",
                    col(LoginFailure.account_key).like(f"%{tag}%"),
                )
            )
        )
        session.execute(delete(LoginThrottleKey).where(col(LoginThrottleKey.key).like(f"%{tag}%")))
        session.execute(delete(User).where(col(User.email) == email))
        session.commit()


def _burst(client: TestClient, usernames: list[str]) -> list[int]:
    """POST one wrong password per username, all at once; the status codes."""
    barrier = threading.Barrier(len(usernames))
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(username: str) -> None:
        barrier.wait()
        response = client.post(
            "/api/v1/auth/token", data={"username": username, "password": "wrong-password"}
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == len(usernames), "an attempt did not finish"
    return statuses


def _failures(engine: Engine, where: Callable[[], object]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(LoginFailure).where(where())).one()


@pytest.mark.parametrize("spread", ["one account", "many accounts"])
def test_a_burst_of_wrong_passwords_checks_at_most_the_limit(
    engine: Engine, target: Target, spread: str
) -> None:
    """One account from one address, or many accounts from one address: the same bound."""
    usernames = (
        [target.email] * BURST
        if spread == "one account"
        else [target.email.replace("race-", f"race-{n}-") for n in range(BURST)]
    )
    with TestClient(create_app(), client=(target.client, 50000)) as client:
        statuses = _burst(client, usernames)
        assert sorted(set(statuses)) == [401, 429], statuses
        assert statuses.count(401) == MAX, f"{statuses.count(401)} passwords were checked"
        assert statuses.count(429) == BURST - MAX
        right = client.post(
            "/api/v1/auth/token", data={"username": target.email, "password": PASSWORD}
        )
        assert right.status_code == 429
        assert int(right.headers["retry-after"]) > 0
    assert _failures(engine, lambda: col(LoginFailure.client_key) == target.client) == MAX
