"""The assessment tests use the shared fixtures (``tests/fixtures/``): ``api_for``,
``mini``, ``product_owner``. The names below are re-exported for their modules."""

from __future__ import annotations

from tests.fixtures.api import Api, Headers
from tests.fixtures.assessments import all_answers

__all__ = ["Api", "Headers", "all_answers"]
