"""The free-text description an admin gives what they set up (a cohort, a webhook endpoint).

Trimmed, and refused past the resource's own limit with the same located
422 everywhere (``loc: ["body", "description"]``), so a form shows the
message next to the field whichever resource it edits.
"""

from __future__ import annotations

from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_

DESCRIPTION_LOC: list[str | int] = ["body", "description"]


def checked_description(description: str, *, max_length: int) -> str:
    """``description`` without surrounding blanks; 422 when longer than ``max_length``."""
    description = description.strip()
    if len(description) > max_length:
        raise InvalidInput(
            N_("The description is too long"),
            errors=[field_error(DESCRIPTION_LOC, f"must be at most {max_length} characters")],
        )
    return description
