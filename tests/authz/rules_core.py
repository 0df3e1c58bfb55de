"""Authorization rules: cross-cutting routes (health, metrics)."""

from __future__ import annotations

from tests.authz.matrix import Rule, everyone

RULES: list[Rule] = [
    Rule("GET", "/healthz", everyone(200), public=True),
    # No signed-in role opens /metrics: only the scraper's token does (tests/core/test_metrics.py),
    # and without STEPWISE_METRICS_TOKEN (as here) the route is absent.
    Rule("GET", "/metrics", everyone(404), public=True),
]
