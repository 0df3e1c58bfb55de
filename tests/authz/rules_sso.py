"""Authorization rules: single sign-on's two public routes.

The matrix runs without a provider, so both answer 404 to everyone (SSO not
configured); with one, tests/accounts/test_sso.py drives them against the real
provider.
"""

from __future__ import annotations

from tests.authz.matrix import Rule, everyone

RULES: list[Rule] = [
    Rule("GET", "/login/sso", everyone(404), public=True),
    Rule(
        "GET", "/login/sso/callback", everyone(404), query={"state": "x", "code": "y"}, public=True
    ),
]
