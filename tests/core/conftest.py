"""The core tests that commit for real use the shared ``key`` (``tests/fixtures/committed.py``)."""

from __future__ import annotations

from tests.fixtures.committed import key

__all__ = ["key"]
