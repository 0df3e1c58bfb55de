"""Authorization rules: one's own language (profile API, footer form, switcher link).

The language is the caller's own setting: every signed-in person may read and
change theirs. The switcher link only sets a cookie, so anyone may follow it.
"""

from __future__ import annotations

from tests.authz.matrix import Rule, everyone, signed_in

RULES: list[Rule] = [
    Rule("GET", "/api/v1/me/locale", signed_in(200)),
    Rule("PUT", "/api/v1/me/locale", signed_in(200), json={"locale": "de"}),
    Rule("GET", "/language/{code}", everyone(303), params=lambda ctx: {"code": "de"}, public=True),
    Rule("POST", "/account/language", signed_in(303, anonymous=303), form={"locale": "de"}),
]
