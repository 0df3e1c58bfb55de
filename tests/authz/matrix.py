"""The vocabulary of the authorization matrix: actors, rules, expectations, the world.

See ``test_matrix.py`` for how a domain adds its rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from app.accounts import cookies
from app.accounts.models import User
from app.core.config import get_settings


class Actor(StrEnum):
    anonymous = "anonymous"
    #: The participant who owns the resources the rules act on.
    owner = "owner"
    #: Another participant: must not see the owner's things.
    other_participant = "other_participant"
    #: A coach assigned to the owner.
    assigned_coach = "assigned_coach"
    #: A coach, assigned to the other participant but not to the owner.
    unassigned_coach = "unassigned_coach"
    admin = "admin"


SIGNED_IN = tuple(a for a in Actor if a is not Actor.anonymous)

Status = int | frozenset[int]
Context = Mapping[str, Any]
#: A value, or a function of the context (the world's ids plus what ``prepare`` returned).
Dynamic = Any


@dataclass(frozen=True)
class Rule:
    """Who gets which status for one request to one route.

    ``path`` is the route's template exactly as in ``app.routes`` (e.g.
    ``/api/v1/users/{user_id}``); each ``{name}`` is filled from
    ``params(ctx)`` when given, else from ``ctx[name]``. ``json``, ``form``,
    ``query`` and ``cookies`` are values or functions of the context.
    ``public`` marks routes that need no credentials (they are skipped by the
    session/CSRF walk). ``name`` tells several rules of one route apart.
    """

    method: str
    path: str
    expect: Mapping[Actor, Status]
    params: Callable[[Context], Mapping[str, Any]] | None = None
    query: Dynamic = None
    json: Dynamic = None
    form: Dynamic = None
    cookies: Dynamic = None
    public: bool = False
    name: str = ""

    @property
    def route(self) -> tuple[str, str]:
        return self.method, self.path

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.name}]" if self.name else "")

    def allowed(self, actor: Actor) -> frozenset[int]:
        status = self.expect[actor]
        return status if isinstance(status, frozenset) else frozenset({status})


# -- expectation helpers -------------------------------------------------------


def expect(
    *,
    anonymous: Status,
    owner: Status,
    other_participant: Status,
    assigned_coach: Status,
    unassigned_coach: Status,
    admin: Status,
) -> dict[Actor, Status]:
    """Every actor, spelled out."""
    return {
        Actor.anonymous: anonymous,
        Actor.owner: owner,
        Actor.other_participant: other_participant,
        Actor.assigned_coach: assigned_coach,
        Actor.unassigned_coach: unassigned_coach,
        Actor.admin: admin,
    }


def everyone(status: Status) -> dict[Actor, Status]:
    return dict.fromkeys(Actor, status)


def signed_in(status: Status, *, anonymous: Status = 401) -> dict[Actor, Status]:
    """Any signed-in person; anonymous gets 401 (API) — pass ``anonymous=303`` for pages."""
    return {**everyone(status), Actor.anonymous: anonymous}


def admin_only(
    status: Status, *, anonymous: Status = 401, others: Status = 404
) -> dict[Actor, Status]:
    return {**everyone(others), Actor.anonymous: anonymous, Actor.admin: status}


def owner_only(
    status: Status, *, anonymous: Status = 401, others: Status = 404
) -> dict[Actor, Status]:
    """The owner's own writes: even their coach and admins get 404."""
    return {**everyone(others), Actor.anonymous: anonymous, Actor.owner: status}


def owner_coach_admin(
    status: Status, *, anonymous: Status = 401, others: Status = 404
) -> dict[Actor, Status]:
    """Personal data readable by its owner, their assigned coach and admins."""
    return {
        **everyone(others),
        Actor.anonymous: anonymous,
        Actor.owner: status,
        Actor.assigned_coach: status,
        Actor.admin: status,
    }


def coach_admin(
    status: Status, *, anonymous: Status = 401, others: Status = 404
) -> dict[Actor, Status]:
    """Coaching actions on the owner: their assigned coach and admins."""
    return {
        **everyone(others),
        Actor.anonymous: anonymous,
        Actor.assigned_coach: status,
        Actor.admin: status,
    }


# -- the world -----------------------------------------------------------------


@dataclass
class World:
    """The six actors (five users; ``anonymous`` has none) and their bearer tokens."""

    users: dict[Actor, User]
    tokens: dict[Actor, str] = field(default_factory=dict)

    def user(self, actor: Actor) -> User:
        return self.users[actor]

    @property
    def owner(self) -> User:
        return self.users[Actor.owner]

    @property
    def other_participant(self) -> User:
        return self.users[Actor.other_participant]

    @property
    def assigned_coach(self) -> User:
        return self.users[Actor.assigned_coach]

    @property
    def unassigned_coach(self) -> User:
        return self.users[Actor.unassigned_coach]

    @property
    def admin(self) -> User:
        return self.users[Actor.admin]

    def bearer(self, actor: Actor) -> dict[str, str]:
        token = self.tokens.get(actor)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def context(self) -> dict[str, Any]:
        """``<actor>_id`` and ``<actor>_email`` for every signed-in actor."""
        ctx: dict[str, Any] = {}
        for actor, user in self.users.items():
            ctx[f"{actor.value}_id"] = user.id
            ctx[f"{actor.value}_email"] = user.email
        return ctx


# -- sending a rule's request --------------------------------------------------

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _value(dynamic: Dynamic, ctx: Context) -> Any:
    return dynamic(ctx) if callable(dynamic) else dynamic


def path_names(path: str) -> list[str]:
    return _PARAM.findall(path)


def fill_path(rule: Rule, ctx: Context) -> str:
    params = rule.params(ctx) if rule.params is not None else ctx
    missing = [n for n in path_names(rule.path) if n not in params]
    assert not missing, f"{rule.id}: no value for {missing} (return it from prepare())"
    return _PARAM.sub(lambda m: str(params[m.group(1)]), rule.path)


def send(
    client: TestClient,
    rule: Rule,
    ctx: Context,
    *,
    headers: Mapping[str, str] | None = None,
    cookies: Mapping[str, str] | None = None,
) -> Response:
    """Send the rule's request with the given credentials, never following redirects."""
    all_cookies = {**(_value(rule.cookies, ctx) or {}), **(cookies or {})}
    request_headers = dict(headers or {})
    if all_cookies:
        request_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in all_cookies.items())
    kwargs: dict[str, Any] = {}
    if rule.json is not None:
        kwargs["json"] = _value(rule.json, ctx)
    if rule.form is not None:
        kwargs["data"] = _value(rule.form, ctx)
    return client.request(
        rule.method,
        fill_path(rule, ctx),
        params=_value(rule.query, ctx),
        headers=request_headers,
        follow_redirects=False,
        **kwargs,
    )


def presession_cookie(ctx: Context) -> dict[str, str]:
    """The pre-session CSRF cookie of the public forms (login, one-time links)."""
    return {
        cookies.cookie_name(cookies.PRESESSION_CSRF, settings=get_settings()): ctx["presession"]
    }


def one_time_link_rules(path: str, *, password: str) -> list[Rule]:
    """A one-time link's public form (invitation, password reset): shown, then the password
    set with the pre-session CSRF token (303: signed in)."""
    return [
        Rule("GET", path, everyone(200), public=True),
        Rule(
            "POST",
            path,
            everyone(303),
            form=lambda ctx: {
                "password": password,
                "password_confirmation": password,
                "csrf_token": ctx["presession"],
            },
            cookies=presession_cookie,
            public=True,
        ),
    ]
