"""Real deliveries: events published by the real services, sent by the real job runner
to a local HTTP receiver, and verified as an integrator would (``standardwebhooks``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from app.coaching import plan
from app.coaching import service as coaching
from app.coaching.state import ActionStatus
from app.core.events import EVENT_NAMES
from app.core.timeutils import utcnow
from app.jobs import runner
from app.jobs.models import Job, JobStatus
from app.webhooks import service as webhooks
from app.webhooks.fields import EndpointFields
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from app.webhooks.tasks import MAX_ATTEMPTS
from tests.fixtures.assessments import MINI_INCONSISTENT, make_assessment
from tests.fixtures.jobs import jobs_in
from tests.fixtures.settings import changed_settings
from tests.fixtures.webhooks import People, Receiver, committed_people


def run(engine: Engine, *, later: timedelta = timedelta(0)) -> int:
    """Run every job due ``later`` from now (retries wait with backoff)."""
    ran = 0
    while (claimed := runner.claim_next(engine=engine, now=utcnow() + later)) is not None:
        runner.run_claimed(claimed, engine=engine)
        ran += 1
    return ran


def register(
    engine: Engine, people: People, url: str, events: tuple[str, ...] | None = None
) -> WebhookEndpoint:
    with Session(engine, expire_on_commit=False) as session:
        endpoint = webhooks.create_endpoint(
            session=session,
            actor=people.admin,
            fields=EndpointFields(
                url=url,
                description="test receiver",
                events=events or EVENT_NAMES,
            ),
            allow_private=True,
        )
        session.commit()
        return endpoint


def submit(engine: Engine, people: People) -> int:
    with Session(engine) as session:
        state = make_assessment(session=session, user=people.participant, answers=MINI_INCONSISTENT)
        session.commit()
        return state.id


def deliveries(engine: Engine) -> list[WebhookDelivery]:
    with Session(engine) as session:
        return list(session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all())


def verify_by_hand(secret: str, headers: dict[str, str], body: bytes) -> None:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"


@pytest.fixture
def people(webhook_engine: Engine) -> People:
    return committed_people(webhook_engine)


def test_each_event_reaches_the_receiver_signed(
    webhook_engine: Engine,
    people: People,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    endpoint = register(webhook_engine, people, receiver.url)
    assessment_id = submit(webhook_engine, people)
    with Session(webhook_engine) as session:
        review = coaching.start_review(
            session=session, user=people.coach, assessment_id=assessment_id
        )
        ratings = {
            b.id: {"coach_level": 1} for c in review.rubric.competencies for b in c.behaviors
        }
        review = coaching.save_review(
            session=session,
            user=people.coach,
            review_id=review.id,
            expected_version=review.version,
            ratings=ratings,
        )
        entry = plan.add_plan_action(
            session=session, user=people.coach, review_id=review.id, title="Practise planning"
        )
        coaching.finalize_review(
            session=session, user=people.coach, review_id=review.id, expected_version=review.version
        )
        session.commit()
        action_id, review_id = entry.action.id, review.id
    with Session(webhook_engine) as session:
        plan.update_plan_action(
            session=session,
            user=people.participant,
            action_id=action_id,
            expected_version=1,
            changes={"status": ActionStatus.in_progress},
        )
        session.commit()

    assert run(webhook_engine) == 4
    assert [r.path for r in receiver.requests] == ["/hooks/stepwise?source=test"] * 4
    bodies = [json.loads(r.body) for r in receiver.requests]
    assert [b["type"] for b in bodies] == [
        "assessment.submitted",
        "plan_action.updated",
        "review.finalized",
        "plan_action.updated",
    ]
    submitted, created, finalized, changed = bodies
    assert submitted["data"]["assessment_id"] == assessment_id
    assert submitted["data"]["participant_id"] == people.participant.id
    assert submitted["timestamp"].endswith("Z")
    assert finalized["data"]["review_id"] == review_id
    assert created["data"]["changed"] == ["created"]
    assert changed["data"] | {"changed": ["status"]} == changed["data"]
    assert changed["data"]["status"] == "in_progress"
    wh = Webhook(endpoint.secret)
    for request in receiver.requests:
        headers = request.headers
        assert headers["content-type"] == "application/json"
        assert headers["user-agent"].startswith("Stepwise-Webhooks/")
        assert headers["webhook-id"].startswith("msg_")
        assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
        assert wh.verify(request.body, headers) == json.loads(request.body)
        verify_by_hand(endpoint.secret, headers, request.body)
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 4
    assert {d.status for d in deliveries(webhook_engine)} == {DeliveryStatus.delivered}
    # The secret and the signatures made with it are never logged.
    assert "webhook delivery" in caplog.text  # the log was captured
    assert endpoint.secret not in caplog.text
    assert endpoint.secret.removeprefix("whsec_") not in caplog.text
    assert not any(r.headers["webhook-signature"] in caplog.text for r in receiver.requests)


def test_a_wrong_secret_does_not_verify(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    submit(webhook_engine, people)
    assert run(webhook_engine) == 1
    (request,) = receiver.requests
    from standardwebhooks.webhooks import WebhookVerificationError

    other = Webhook("whsec_" + base64.b64encode(b"x" * 32).decode())
    with pytest.raises(WebhookVerificationError):
        other.verify(request.body, request.headers)


def test_only_subscribed_active_endpoints_get_a_delivery(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    register(webhook_engine, people, receiver.url, ("review.finalized",))
    inactive = register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    with Session(webhook_engine) as session:
        webhooks.update_endpoint(
            session=session,
            actor=people.admin,
            endpoint_id=inactive.id or 0,
            expected_version=1,
            allow_private=True,
            is_active=False,
        )
        session.commit()
    submit(webhook_engine, people)
    assert deliveries(webhook_engine) == []
    assert run(webhook_engine) == 0


def test_a_failed_attempt_is_retried_with_the_same_id_and_both_are_logged(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    endpoint = register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    receiver.statuses = [500]
    submit(webhook_engine, people)
    assert run(webhook_engine) == 1
    (job,) = [j for j in jobs_in(webhook_engine) if j.task == "webhooks.deliver"]
    assert job.status == JobStatus.queued and job.attempts == 1
    assert job.run_at > utcnow() + timedelta(seconds=50)  # backoff: not due yet
    assert run(webhook_engine) == 0
    assert run(webhook_engine, later=timedelta(minutes=2)) == 1
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    Webhook(endpoint.secret).verify(second.body, second.headers)
    with Session(webhook_engine) as session:
        (entry,) = webhooks.delivery_log(
            session=session, actor=people.admin, endpoint_id=endpoint.id or 0
        )
    assert entry.delivery.status == DeliveryStatus.delivered
    assert entry.delivery.attempts == 2
    assert [(a.status_code, a.succeeded) for a in entry.attempts] == [(500, False), (200, True)]
    assert entry.attempts[0].error == "HTTP 500"


def test_after_the_last_attempt_the_delivery_is_failed_and_can_be_redelivered(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    endpoint = register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    receiver.statuses = [503] * MAX_ATTEMPTS
    submit(webhook_engine, people)
    # A day later every retry has been due (the backoff adds up to about two hours).
    assert run(webhook_engine, later=timedelta(days=1)) == MAX_ATTEMPTS
    assert run(webhook_engine, later=timedelta(days=1)) == 0
    (delivery,) = deliveries(webhook_engine)
    assert delivery.status == DeliveryStatus.failed
    assert delivery.attempts == MAX_ATTEMPTS and delivery.last_status_code == 503
    assert len(receiver.requests) == MAX_ATTEMPTS
    with Session(webhook_engine) as session:
        webhooks.redeliver(session=session, actor=people.admin, delivery_id=delivery.id or 0)
        session.commit()
    assert run(webhook_engine) == 1
    assert len(receiver.requests) == MAX_ATTEMPTS + 1
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    (done,) = deliveries(webhook_engine)
    assert done.status == DeliveryStatus.delivered and done.attempts == MAX_ATTEMPTS + 1
    assert endpoint.id == done.endpoint_id


def test_an_unreachable_receiver_is_a_failed_attempt(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    closed = receiver.url.replace(str(receiver.port), str(receiver.port + 1), 1)
    register(webhook_engine, people, closed, ("assessment.submitted",))
    submit(webhook_engine, people)
    assert run(webhook_engine) == 1
    (delivery,) = deliveries(webhook_engine)
    assert delivery.status == DeliveryStatus.pending and delivery.attempts == 1
    assert delivery.last_status_code is None and delivery.last_error


@pytest.fixture
def private_refused(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with changed_settings(monkeypatch, STEPWISE_WEBHOOKS_ALLOW_PRIVATE="false"):
        yield


def test_loopback_is_refused_at_delivery_time_without_the_setting(
    webhook_engine: Engine, people: People, receiver: Receiver, private_refused: None
) -> None:
    # Registered while allowed (or a name that resolved elsewhere then): checked again now.
    register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    submit(webhook_engine, people)
    assert run(webhook_engine) == 1
    assert receiver.requests == []
    (delivery,) = deliveries(webhook_engine)
    assert delivery.status == DeliveryStatus.failed and delivery.attempts == 1
    assert delivery.last_error is not None and delivery.last_error.startswith("refused: URL")
    # Not retried: the job is done.
    (job,) = [j for j in jobs_in(webhook_engine) if j.task == "webhooks.deliver"]
    assert job.status == JobStatus.succeeded


def test_a_deleted_endpoint_drops_its_queued_deliveries(
    webhook_engine: Engine, people: People, receiver: Receiver
) -> None:
    endpoint = register(webhook_engine, people, receiver.url, ("assessment.submitted",))
    submit(webhook_engine, people)
    with Session(webhook_engine) as session:
        webhooks.delete_endpoint(session=session, actor=people.admin, endpoint_id=endpoint.id or 0)
        session.commit()
    assert deliveries(webhook_engine) == []
    assert run(webhook_engine) == 1  # the job finds nothing to send
    assert receiver.requests == []
    with Session(webhook_engine) as session:
        assert session.exec(select(Job).where(col(Job.status) == JobStatus.failed)).all() == []
