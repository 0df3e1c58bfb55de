"""Authorization rules: cross-cutting routes (health)."""

from __future__ import annotations

from tests.authz.matrix import Rule, everyone

RULES: list[Rule] = [
    Rule("GET", "/healthz", everyone(200), public=True),
]
