"""Text cells a spreadsheet shows as text, never as a formula (CSV/formula injection).

Shared by every export that puts a person's own text (a name, an email) in a
spreadsheet cell: cohort results, the audit trail (docs/security.md).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet shows text, never as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
