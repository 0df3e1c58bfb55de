"""The CHECK constraints every versioned or status-bearing table spells alike.

A table's ``status`` column takes the values of its ``StrEnum`` and nothing
else, and its optimistic-lock ``version`` (:mod:`app.core.versioning`) starts
at 1. Written here once, so the allowed statuses come from the enum itself
and cannot drift from it; the SQL text and the ``ck_<table>_<column>`` names
are exactly those the migrations created.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint


def status_check(table: str, statuses: type[StrEnum]) -> CheckConstraint:
    """``status IN (...)`` over ``statuses``' values, in their declared order."""
    values = ", ".join(f"'{status.value}'" for status in statuses)
    return CheckConstraint(f"status IN ({values})", name=f"ck_{table}_status")


def version_check(table: str) -> CheckConstraint:
    """``version >= 1``: the lock starts at 1 and only goes up."""
    return CheckConstraint("version >= 1", name=f"ck_{table}_version")
