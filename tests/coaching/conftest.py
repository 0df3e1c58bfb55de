"""Helpers for the coaching tests; the shared ones (``submitted``, ``api_for``,
``browser_for``, ``mini``, ``product_owner``, ``rate_all``) live in ``tests/fixtures/``.

Assessments are made through the assessments service (create, save, submit),
exactly as a participant would, so reviews sit on real stored results: by
default with :data:`MINI_ANSWERS`.
"""

from __future__ import annotations

from tests.fixtures.api import Api, Headers
from tests.fixtures.assessments import MINI_INCONSISTENT, SubmitFactory
from tests.fixtures.reviews import rate_all
from tests.fixtures.web import Browser

__all__ = ["MINI_ANSWERS", "Api", "Browser", "Headers", "SubmitFactory", "rate_all"]

#: What ``submitted`` answers here (the shared default): planning reaches
#: practitioner (2) and stops at expert; review stops at novice (0) although
#: its expert items are endorsed: inconsistent.
MINI_ANSWERS = MINI_INCONSISTENT
