"""The names a CSRF token travels under: a form field, a request header, a ``<meta>``.

They live in the core because both sides need them: the template globals
here (:mod:`app.core.page_globals`) put the token on every page, and accounts
(:mod:`app.accounts.csrf`, above the core) checks it on every unsafe request.
The core never imports a domain, so the names come down here and accounts
imports them. ``static/js/app.js`` uses the same names.
"""

from __future__ import annotations

#: The hidden form field of every ``<form method="post">`` (``csrf_input()``).
FORM_FIELD = "csrf_token"
#: The header scripts send (``Stepwise.fetch`` in ``static/js/app.js``).
HEADER = "X-CSRF-Token"
#: ``<meta name="csrf-token" content="...">`` in ``base.html`` (``csrf_meta()``).
META_NAME = "csrf-token"
