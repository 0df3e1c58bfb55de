"""Domain events: "this happened", said once by the domain that knows it.

A domain that changes something others may care about (an assessment was
submitted, a review finalized, a plan action changed) publishes an event in
its service, inside the caller's transaction. Subscribers live in the
domains that react (mail notifications, report pre-rendering, webhooks),
which may sit *above* the publisher in the layer order: the publisher imports
only this module, never its listeners, so no cycle appears.

Subscribers run synchronously, in the publishing transaction, and should do
no slow work there: they enqueue a job (:func:`app.jobs.queue.enqueue`),
which commits with the change and disappears with it when the request rolls
back. A subscriber that raises fails the request, as any other bug would.

Subscribers register by being imported; :mod:`app.tasks` imports them all,
as :mod:`app.models` does for tables, so every process that can publish has
the same listeners.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from app.core.timeutils import utcnow

#: The events Stepwise publishes. Webhook endpoints subscribe to these names.
ASSESSMENT_SUBMITTED = "assessment.submitted"
REVIEW_FINALIZED = "review.finalized"
PLAN_ACTION_UPDATED = "plan_action.updated"

EVENT_NAMES: tuple[str, ...] = (ASSESSMENT_SUBMITTED, REVIEW_FINALIZED, PLAN_ACTION_UPDATED)


@dataclass(frozen=True)
class Event:
    """What happened, as JSON-ready ids and short values (never rows).

    ``data`` is what an integrator may see: ids, statuses, timestamps. It
    carries no free text a person wrote (notes, rationales, answers).
    """

    name: str
    data: Mapping[str, Any]
    occurred_at: datetime = field(default_factory=utcnow)


class Subscriber(Protocol):
    def __call__(self, *, session: Session, event: Event) -> None: ...


_SUBSCRIBERS: dict[str, list[Subscriber]] = {}


def subscribe(*names: str) -> Callable[[Subscriber], Subscriber]:
    """Register the decorated function for each of ``names`` (each once)."""
    for name in names:
        if name not in EVENT_NAMES:
            raise ValueError(f"unknown event {name!r}")

    def register(fn: Subscriber) -> Subscriber:
        for name in names:
            listeners = _SUBSCRIBERS.setdefault(name, [])
            if fn not in listeners:
                listeners.append(fn)
        return fn

    return register


def subscribers(name: str) -> list[Subscriber]:
    return list(_SUBSCRIBERS.get(name, ()))


def publish(*, session: Session, name: str, data: Mapping[str, Any]) -> Event:
    """Tell every subscriber of ``name``, in the caller's transaction."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name!r}")
    event = Event(name=name, data=dict(data))
    for fn in subscribers(name):
        fn(session=session, event=event)
    return event
