"""The authorization matrix: every route of the app, for each of six actors.

Every (method, path) of ``create_app().routes`` must have at least one rule,
so a new route without a rule fails ``test_every_route_has_a_rule``. Each rule
is then run once per actor — anonymous, the owner participant, another
participant, the owner's assigned coach, a coach not assigned to the owner,
an admin — with a bearer token (``test_matrix``), and again with a session
cookie, with and without the CSRF token (``test_session_cookie_and_csrf``).
Every response is also checked for password hashes.

How a domain adds its rules
---------------------------
Create ``tests/authz/rules_<domain>.py`` (nothing else to register) with:

``RULES: list[Rule]``
    One or more :class:`~tests.authz.matrix.Rule` per route::

        Rule("GET", "/api/v1/assessments/{assessment_id}", owner_coach_admin(200)),
        Rule("PATCH", "/api/v1/assessments/{assessment_id}/responses",
             owner_only(200), json=lambda ctx: {"version": ctx["version"], ...}),
        Rule("GET", "/assessments", signed_in(200, anonymous=303)),   # a page

    ``path`` is the template exactly as in ``app.routes``. Expectations come
    from helpers in ``tests/authz/matrix.py`` (``everyone``, ``signed_in``,
    ``owner_only``, ``owner_coach_admin``, ``coach_admin``, ``admin_only``)
    or ``expect(...)`` naming all six actors. Be exact; a ``frozenset`` of
    statuses is allowed where the body decides. Resources that exist but are
    not yours must answer 404. Pages answer 303 (to ``/login``) to anonymous.
    Mark routes that need no credentials ``public=True``.

``prepare(world, session) -> dict`` (optional)
    Runs before each of the module's rules, in the test's transaction: create
    the owner's resources with your factories/services (``world.owner``,
    ``world.assigned_coach``, …) and return the values the path templates,
    ``json``/``form``/``query`` callables need (e.g. ``{"assessment_id": a.id}``).
    The context also has ``<actor>_id`` and ``<actor>_email`` for every actor.

Each (rule, actor) is its own test with a fresh world, so one actor's
successful DELETE never changes what the next actor sees.

CSRF comes for free: every route that takes ``CurrentUser``, ``PageUser`` or
``OptionalUser`` refuses a cookie-authenticated unsafe request without the
token, and ``test_session_cookie_and_csrf`` proves it for every non-public
rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session
from starlette.routing import Mount, Route

from app.main import create_app
from tests.authz.matrix import SIGNED_IN, Actor, Rule, World, send
from tests.fixtures.factories import BrowserSession

#: Routes outside the matrix: static files and the API docs with their assets (public, no data).
SKIPPED = frozenset({"/static", "/docs-assets", "/docs", "/redoc", "/openapi.json"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _rule_modules() -> list[ModuleType]:
    here = Path(__file__).parent
    return [
        importlib.import_module(f"tests.authz.{path.stem}")
        for path in sorted(here.glob("rules_*.py"))
    ]


MODULES = _rule_modules()
RULES: list[tuple[ModuleType, Rule]] = [(m, r) for m in MODULES for r in m.RULES]


def app_routes() -> tuple[set[tuple[str, str]], set[str]]:
    """Every (method, path) the app serves, and the paths deliberately skipped.

    ``iter_route_contexts`` flattens included routers (FastAPI keeps them as
    lazily-built ``_IncludedRouter`` entries in ``app.routes``).
    """
    routes: set[tuple[str, str]] = set()
    skipped: set[str] = set()
    for context in iter_route_contexts(create_app().routes):
        path = context.path or ""
        if path in SKIPPED:
            skipped.add(path)
            continue
        original = context.original_route
        if isinstance(original, Mount):
            raise AssertionError(f"unexpected mount {path}: add rules or skip it explicitly")
        assert isinstance(original, APIRoute | Route), original
        for method in context.methods or ():
            if method != "HEAD":
                routes.add((method, path))
    return routes, skipped


def test_every_route_has_a_rule() -> None:
    routes, _ = app_routes()
    covered = {rule.route for _, rule in RULES}
    missing = sorted(routes - covered)
    assert not missing, (
        "routes without an authorization rule (add them to tests/authz/rules_*.py):\n"
        + "\n".join(f"  {m} {p}" for m, p in missing)
    )


def test_every_rule_names_a_real_route() -> None:
    routes, _ = app_routes()
    stale = sorted({rule.route for _, rule in RULES} - routes)
    assert not stale, f"rules for routes the app does not have: {stale}"


def test_exactly_the_documented_routes_are_skipped() -> None:
    _, skipped = app_routes()
    assert skipped == SKIPPED


def test_every_rule_names_every_actor_and_is_unique() -> None:
    seen: set[str] = set()
    for module, rule in RULES:
        assert set(rule.expect) == set(Actor), f"{module.__name__}: {rule.id} must name all actors"
        assert rule.id not in seen, f"{module.__name__}: duplicate rule {rule.id}; give it a name="
        seen.add(rule.id)


def _context(module: ModuleType, world: World, session: Session) -> dict[str, Any]:
    ctx = world.context()
    prepare = getattr(module, "prepare", None)
    if prepare is not None:
        ctx.update(prepare(world, session) or {})
    # Release the setup into the test's outer transaction: a request that fails
    # rolls back only its own savepoint, never the world.
    session.commit()
    return ctx


def _check(rule: Rule, actor: Actor, response: Response, how: str) -> None:
    allowed = rule.allowed(actor)
    assert response.status_code in allowed, (
        f"{rule.id} as {actor} ({how}): got {response.status_code}, expected "
        f"{sorted(allowed)}: {response.text[:300]}"
    )
    assert "$argon2" not in response.text, f"{rule.id} as {actor}: a password hash in the response"
    if actor is Actor.anonymous and response.status_code == 303 and not rule.public:
        assert response.headers["location"].startswith("/login"), rule.id


def _cases(actors: tuple[Actor, ...], *, public: bool) -> Iterator[Any]:
    for module, rule in RULES:
        if rule.public and not public:
            continue
        for actor in actors:
            yield pytest.param(module, rule, actor, id=f"{rule.id} as {actor}")


@pytest.mark.parametrize(("module", "rule", "actor"), list(_cases(tuple(Actor), public=True)))
def test_matrix(
    module: ModuleType,
    rule: Rule,
    actor: Actor,
    world: World,
    session: Session,
    client: TestClient,
) -> None:
    ctx = _context(module, world, session)
    response = send(client, rule, ctx, headers=world.bearer(actor))
    _check(rule, actor, response, "bearer token")


@pytest.mark.parametrize(("module", "rule", "actor"), list(_cases(SIGNED_IN, public=False)))
def test_session_cookie_and_csrf(
    module: ModuleType,
    rule: Rule,
    actor: Actor,
    world: World,
    session: Session,
    client: TestClient,
    browser_session: Any,
) -> None:
    """The same expectations with the session cookie; unsafe methods need the CSRF token."""
    browser: BrowserSession = browser_session(world.user(actor))
    ctx = _context(module, world, session)
    cookie_name, _, secret = browser.cookie_header["Cookie"].partition("=")
    if rule.method in UNSAFE:
        refused = send(client, rule, ctx, cookies={cookie_name: secret})
        assert refused.status_code == 403, f"{rule.id} as {actor}: accepted without CSRF token"
        wrong = send(
            client, rule, ctx, cookies={cookie_name: secret}, headers={"X-CSRF-Token": "x"}
        )
        assert wrong.status_code == 403, f"{rule.id} as {actor}: accepted a wrong CSRF token"
    response = send(client, rule, ctx, cookies={cookie_name: secret}, headers=browser.csrf_headers)
    _check(rule, actor, response, "session cookie")
