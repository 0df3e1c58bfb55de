"""Brute force: failed logins per account and per client, in a sliding window, in the DB."""

from __future__ import annotations

import math
from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, func, select

from app.accounts.models import LoginFailure, User
from app.core.config import get_settings
from app.core.timeutils import utcnow
from tests.fixtures.factories import PASSWORD, csrf_from_page

MAX = get_settings().login_max_failures
WINDOW = get_settings().login_window_seconds


def _token(client: TestClient, email: str, password: str) -> Response:
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def _fail(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert _token(client, email, "wrong-password").status_code == 401


def _account_failures(session: Session, email: str) -> int:
    """The failure rows counted against the account (its per-account limit)."""
    return session.exec(
        select(func.count()).select_from(LoginFailure).where(col(LoginFailure.account_key) == email)
    ).one()


def _age_failures(session: Session, seconds: int) -> None:
    """Move every recorded failure ``seconds`` into the past."""
    for row in session.exec(select(LoginFailure)).all():
        row.failed_at -= timedelta(seconds=seconds)
        session.add(row)
    session.commit()


def _refused_with_retry_after(client: TestClient, session: Session, email: str) -> Response:
    """The right password, refused: Retry-After is when the oldest failure leaves the window.

    Bounded by the clock before and after the request, not by a fixed slack:
    on a loaded machine the failures themselves take seconds.
    """
    window_end = min(session.exec(select(LoginFailure.failed_at)).all()) + timedelta(seconds=WINDOW)
    before = utcnow()
    refused = _token(client, email, PASSWORD)
    after = utcnow()
    assert refused.status_code == 429
    retry_after = int(refused.headers["retry-after"])
    assert (window_end - after).total_seconds() <= retry_after
    assert retry_after <= math.ceil((window_end - before).total_seconds())
    assert refused.json()["retry_after"] == retry_after
    return refused


def test_failures_for_one_account_are_refused_with_retry_after(
    client: TestClient, participant: User, session: Session
) -> None:
    _fail(client, participant.email, MAX)
    refused = _refused_with_retry_after(client, session, participant.email)  # the right password
    assert int(refused.headers["retry-after"]) <= WINDOW
    assert refused.json()["detail"].startswith("Too many failed sign-in attempts.")


def test_failures_are_recorded_in_the_database(
    client: TestClient, participant: User, session: Session
) -> None:
    """Returned 401s commit their failure row (state shared by every worker)."""
    _fail(client, participant.email, 2)
    assert _account_failures(session, participant.email) == 2


def test_retry_after_counts_down_to_when_the_oldest_failure_leaves_the_window(
    client: TestClient, participant: User, session: Session
) -> None:
    _fail(client, participant.email, MAX)
    _age_failures(session, WINDOW - 100)
    refused = _refused_with_retry_after(client, session, participant.email)
    assert int(refused.headers["retry-after"]) <= 100


def test_the_lock_lifts_by_itself_when_the_window_has_passed(
    client: TestClient, participant: User, session: Session
) -> None:
    _fail(client, participant.email, MAX)
    assert _token(client, participant.email, PASSWORD).status_code == 429
    _age_failures(session, WINDOW + 1)
    assert _token(client, participant.email, PASSWORD).status_code == 200


def test_refused_attempts_do_not_extend_the_lock(
    client: TestClient, participant: User, session: Session
) -> None:
    _fail(client, participant.email, MAX)
    for _ in range(3):
        assert _token(client, participant.email, "wrong-password").status_code == 429
    assert session.exec(select(func.count()).select_from(LoginFailure)).one() == MAX


def test_unknown_emails_are_throttled_like_real_ones(client: TestClient) -> None:
    """The limit does not reveal which accounts exist."""
    _fail(client, "nobody@example.test", MAX)
    assert _token(client, "nobody@example.test", "x" * 12).status_code == 429


def test_one_client_trying_many_accounts_is_throttled(
    client: TestClient, participant: User
) -> None:
    for n in range(MAX):
        assert _token(client, f"guess{n}@example.test", "wrong-password").status_code == 401
    refused = _token(client, participant.email, PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0


def test_a_successful_login_clears_the_accounts_counter(
    client: TestClient, participant: User, session: Session
) -> None:
    _fail(client, participant.email, MAX - 1)
    assert _token(client, participant.email, PASSWORD).status_code == 200
    # The account starts afresh ...
    assert _account_failures(session, participant.email) == 0
    # ... but the client's failures still count toward the per-client limit.
    assert session.exec(select(func.count()).select_from(LoginFailure)).one() == MAX - 1
    assert _token(client, "someone-else@example.test", "wrong").status_code == 401
    assert _token(client, participant.email, PASSWORD).status_code == 429


def test_the_login_page_is_throttled_too(client: TestClient, participant: User) -> None:
    page = client.get("/login")
    token = csrf_from_page(page.text)
    form = {"email": participant.email, "csrf_token": token}
    for _ in range(MAX):
        failed = client.post("/login", data={**form, "password": "wrong-password"})
        assert failed.status_code == 401
    refused = client.post("/login", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Too many failed sign-in attempts" in refused.text
    assert "stepwise_session" not in client.cookies


def test_page_and_api_failures_share_one_counter(client: TestClient, participant: User) -> None:
    token = csrf_from_page(client.get("/login").text)
    for _ in range(MAX - 1):
        client.post(
            "/login",
            data={"email": participant.email, "password": "bad-password", "csrf_token": token},
        )
    assert _token(client, participant.email, "wrong-password").status_code == 401
    assert _token(client, participant.email, PASSWORD).status_code == 429


def test_old_failure_rows_are_pruned(client: TestClient, session: Session) -> None:
    _fail(client, "a@example.test", 2)
    _age_failures(session, WINDOW + 10)
    _fail(client, "b@example.test", 1)
    rows = session.exec(select(LoginFailure)).all()
    assert [r.account_key for r in rows] == ["b@example.test"]
    assert all(r.failed_at > utcnow() - timedelta(seconds=WINDOW) for r in rows)
